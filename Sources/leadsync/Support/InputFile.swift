import Foundation

/// A file a command reads, where `-` means standard input. Standard input, a pipe or a device
/// such as /dev/stdin cannot be read twice (the importer looks at a file's head, then reads it
/// from the start), so such input is first copied to a private file in the home directory and
/// removed afterwards.
struct InputFile {
    let url: URL
    /// The name shown to the user: the path given, or `-` for standard input.
    let name: String
    /// Whether `url` is a private copy (removed by ``cleanUp()``).
    let isSpooled: Bool

    static func readable(_ path: String, spoolIn directory: URL) throws -> InputFile {
        if path != "-" {
            // A missing file is reported by the reader with its own message.
            let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            if type == nil || type == .typeRegular {
                return InputFile(url: URL(fileURLWithPath: path), name: path, isSpooled: false)
            }
        }
        let source = path == "-" ? FileHandle.standardInput : try open(path)
        let copy = directory.appendingPathComponent(".stdin-\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: copy.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let sink = try? FileHandle(forWritingTo: copy)
        else {
            throw CLIError("cannot copy standard input to \(directory.path): is the home directory writable?", status: .ioError)
        }
        defer { try? sink.close() }
        do {
            while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty {
                try sink.write(contentsOf: chunk)
            }
        } catch {
            try? FileManager.default.removeItem(at: copy)
            throw CLIError("cannot read \(path == "-" ? "standard input" : path): \(error.localizedDescription)", status: .ioError)
        }
        return InputFile(url: copy, name: path, isSpooled: true)
    }

    private static func open(_ path: String) throws -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIError("cannot read \(path): no such file or permission denied", status: .notFound)
        }
        return handle
    }

    func cleanUp() {
        if isSpooled { try? FileManager.default.removeItem(at: url) }
    }
}
