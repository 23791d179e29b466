import Foundation

/// A chunked supply of bytes, so ``CSVReader`` can stream files of any size with flat memory
/// and tests can feed it deliberately tiny chunks.
public protocol ByteSource: Sendable {
    /// Appends up to `maxCount` bytes to `buffer` and returns how many were appended;
    /// 0 means the input is exhausted.
    mutating func read(into buffer: inout [UInt8], maxCount: Int) throws(ExchangeError) -> Int
}

/// Reads from an open file handle; the caller owns the handle and closes it.
public struct FileHandleByteSource: ByteSource {
    /// The handle read from; kept open for the caller to close.
    public let handle: FileHandle

    /// Wraps `handle`, reading from its current offset.
    public init(_ handle: FileHandle) {
        self.handle = handle
    }

    /// Reads the next chunk; I/O failures become ``ExchangeError/readFailed(reason:)``.
    public mutating func read(into buffer: inout [UInt8], maxCount: Int) throws(ExchangeError) -> Int {
        do {
            guard let data = try handle.read(upToCount: maxCount), !data.isEmpty else { return 0 }
            buffer.append(contentsOf: data)
            return data.count
        } catch {
            throw .readFailed(reason: error.localizedDescription)
        }
    }
}

/// Serves bytes already in memory, at most `chunkLimit` per read (useful to exercise chunking).
public struct DataByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunkLimit: Int

    /// - Parameter chunkLimit: upper bound per read, regardless of what the reader asks for.
    public init(_ data: Data, chunkLimit: Int = .max) {
        self.bytes = [UInt8](data)
        self.chunkLimit = max(1, chunkLimit)
    }

    /// Copies the next slice; never fails.
    public mutating func read(into buffer: inout [UInt8], maxCount: Int) throws(ExchangeError) -> Int {
        let count = min(maxCount, chunkLimit, bytes.count - offset)
        guard count > 0 else { return 0 }
        buffer.append(contentsOf: bytes[offset..<(offset + count)])
        offset += count
        return count
    }
}
