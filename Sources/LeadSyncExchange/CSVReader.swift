import Foundation

/// Streams records out of a CSV file without loading it: memory stays at about one chunk plus
/// the current record, so 100,000-row trade-fair exports import with flat memory.
///
/// The first non-blank record is the header. The delimiter (`,` `;` or tab) is detected from
/// it unless given. Input is UTF-8 (a byte order mark is skipped) or, when the bytes are not
/// valid UTF-8, Windows-1252. Blank lines are skipped but counted, so ``CSVRecord/line`` always
/// matches what an editor shows.
///
/// A record whose field count differs from the header's is reported as
/// ``ExchangeError/csvFieldCountMismatch(line:expected:found:)``; the reader stays usable and the
/// next call to ``next()`` continues after that record, so the caller decides whether to skip
/// or abort. Quoting errors are not recoverable: every later call throws the same error.
public struct CSVReader: Sendable {
    /// The header record (column names as written, untrimmed).
    public private(set) var header: CSVRecord
    /// The delimiter in use, detected or given.
    public private(set) var delimiter: CSVDelimiter
    /// The fields of the record that last failed with
    /// ``ExchangeError/csvFieldCountMismatch(line:expected:found:)``, so a caller that skips it
    /// can still keep the original text (e.g. in a file of rejected rows).
    public private(set) var mismatchedRecord: CSVRecord?
    /// UTF-8 until the file proves otherwise; may switch to Windows-1252 while reading.
    public var encoding: CSVTextEncoding { decoder.encoding }

    private var source: any ByteSource
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var nextLine = 1
    private var decoder = CSVFieldDecoder(encoding: .utf8)
    private var fields: [String] = []
    private var scratch: [UInt8] = []
    private var failure: ExchangeError?

    /// Reads the header from `source`; throws ``ExchangeError/csvEmptyFile`` when there is none.
    /// - Parameters:
    ///   - delimiter: forces a delimiter instead of detecting it.
    ///   - chunkSize: bytes requested per read; 64 KiB keeps system calls rare and memory small.
    public init(source: some ByteSource, delimiter: CSVDelimiter? = nil, chunkSize: Int = 65_536) throws(ExchangeError) {
        self.source = source
        self.chunkSize = max(1, chunkSize)
        self.header = CSVRecord(fields: [], line: 0)
        self.delimiter = .comma
        try fill()
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        decoder = buffer.withUnsafeBufferPointer { CSVFieldDecoder(encoding: CSVFieldDecoder.guess(from: $0)) }
        if let delimiter {
            self.delimiter = delimiter
        } else {
            self.delimiter = try detectDelimiter()
        }
        guard let first = try scan(checkingCount: nil) else { throw .csvEmptyFile }
        self.header = first
    }

    /// Reads from an open file handle (the caller closes it).
    public init(fileHandle: FileHandle, delimiter: CSVDelimiter? = nil, chunkSize: Int = 65_536) throws(ExchangeError) {
        try self.init(source: FileHandleByteSource(fileHandle), delimiter: delimiter, chunkSize: chunkSize)
    }

    /// Reads CSV already in memory.
    public init(data: Data, delimiter: CSVDelimiter? = nil) throws(ExchangeError) {
        try self.init(source: DataByteSource(data), delimiter: delimiter)
    }

    /// The next data record, or nil at the end of the input.
    public mutating func next() throws(ExchangeError) -> CSVRecord? {
        if let failure { throw failure }
        return try scan(checkingCount: header.fields.count)
    }

    private mutating func scan(checkingCount expected: Int?) throws(ExchangeError) -> CSVRecord? {
        while true {
            if position >= buffer.count, !atEnd { try fill() }
            if position >= buffer.count, atEnd { return nil }
            let outcome = buffer.withUnsafeBufferPointer { bytes in
                CSVScanner.scanRecord(
                    bytes, from: position, atEnd: atEnd, delimiter: delimiter.rawValue,
                    fields: &fields, scratch: &scratch, decoder: &decoder
                )
            }
            switch outcome {
            case .needsMoreInput:
                try fill()
            case .record(let end, let lineBreaks, let blank):
                let line = nextLine
                position = end
                nextLine += lineBreaks
                if blank { continue }
                if let expected, fields.count != expected {
                    mismatchedRecord = CSVRecord(fields: fields, line: line)
                    throw .csvFieldCountMismatch(line: line, expected: expected, found: fields.count)
                }
                return CSVRecord(fields: fields, line: line)
            case .unterminatedQuote(let field, let lineOffset):
                return try fail(.csvUnterminatedQuote(line: nextLine + lineOffset, column: columnName(field)))
            case .textAfterClosingQuote(let field, let lineOffset):
                return try fail(.csvTextAfterClosingQuote(line: nextLine + lineOffset, column: columnName(field)))
            }
        }
    }

    private mutating func fail(_ error: ExchangeError) throws(ExchangeError) -> CSVRecord? {
        failure = error
        throw error
    }

    /// The header name of column `index` for messages, or "column N" where there is none.
    private func columnName(_ index: Int) -> String {
        if index < header.fields.count {
            let name = header.fields[index].trimmed
            if !name.isEmpty { return name }
        }
        return "column \(index + 1)"
    }

    /// Drops consumed bytes and appends the next chunk; a record longer than a chunk doubles
    /// the request so that huge quoted fields are not rescanned over and over.
    private mutating func fill() throws(ExchangeError) {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let request = max(chunkSize, buffer.count)
        if try source.read(into: &buffer, maxCount: request) == 0 { atEnd = true }
    }

    /// Reads until the first non-blank line is complete, then counts delimiters in it.
    private mutating func detectDelimiter() throws(ExchangeError) -> CSVDelimiter {
        while true {
            let (complete, detected) = buffer.withUnsafeBufferPointer { bytes in
                var start = position
                while start < bytes.count, bytes[start] == 0x0A || bytes[start] == 0x0D { start += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start...])
                return (CSVDelimiter.containsLineEnd(line), CSVDelimiter.detect(inHeader: line))
            }
            if complete || atEnd { return detected }
            try fill()
        }
    }
}
