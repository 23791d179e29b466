import Foundation

/// A file written under a temporary name next to its destination and renamed over it only
/// when complete, so a crash or an error never leaves half a file where the user expects one.
///
/// Writes are buffered (64 KiB) so that streaming many small rows costs few system calls.
public final class AtomicFile {
    /// Where the file appears on ``commit()``.
    public let destination: URL
    private let temporary: URL
    private let handle: FileHandle
    private var pending: [UInt8] = []
    private var finished = false

    /// Creates the temporary file in the destination's directory (same file system, so the
    /// final rename is atomic).
    public init(destination: URL) throws(ExportError) {
        self.destination = destination
        let directory = destination.deletingLastPathComponent()
        temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw .cannotWrite(path: destination.path, reason: "cannot create a file in \(directory.path)")
        }
        do {
            handle = try FileHandle(forWritingTo: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .cannotWrite(path: destination.path, reason: error.localizedDescription)
        }
        pending.reserveCapacity(1 << 16)
    }

    /// Appends text (UTF-8).
    public func write(_ text: String) throws(ExportError) {
        pending.append(contentsOf: text.utf8)
        if pending.count >= 1 << 16 { try flush() }
    }

    /// Appends raw bytes.
    public func write(bytes: some Sequence<UInt8>) throws(ExportError) {
        pending.append(contentsOf: bytes)
        if pending.count >= 1 << 16 { try flush() }
    }

    private func flush() throws(ExportError) {
        guard !pending.isEmpty else { return }
        do {
            try handle.write(contentsOf: pending)
        } catch {
            throw .cannotWrite(path: destination.path, reason: error.localizedDescription)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs to disk and renames the file into place.
    public func commit() throws(ExportError) {
        guard !finished else { return }
        do {
            try flush()
            try handle.synchronize()
            try handle.close()
            finished = true
            if rename(temporary.path, destination.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw ExportError.cannotWrite(path: destination.path, reason: reason)
            }
        } catch let error as ExportError {
            discard()
            throw error
        } catch {
            discard()
            throw .cannotWrite(path: destination.path, reason: error.localizedDescription)
        }
    }

    /// Removes the temporary file; the destination is left as it was.
    public func discard() {
        if !finished {
            try? handle.close()
            finished = true
        }
        try? FileManager.default.removeItem(at: temporary)
    }

    deinit {
        if !finished { discard() }
    }
}

/// Why an export (or a file of rejected rows) could not be written.
public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case format(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .format(let message): message
        }
    }
}
