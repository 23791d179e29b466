import Foundation

/// Turns field bytes into strings, deciding between UTF-8 and Windows-1252.
///
/// The decision is per file: a reader starts with what the first chunk suggests and switches
/// to Windows-1252 for good at the first field that is not valid UTF-8 (a file is one or the
/// other; Excel on Windows writes Windows-1252). ASCII fields, the vast majority, take a fast
/// path that needs no validation.
struct CSVFieldDecoder: Sendable {
    private(set) var encoding: CSVTextEncoding

    init(encoding: CSVTextEncoding) {
        self.encoding = encoding
    }

    /// `highBits` is the OR of all bytes; below 0x80 means pure ASCII.
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, highBits: UInt8) -> String {
        if highBits < 0x80 { return String(decoding: bytes, as: UTF8.self) }
        if encoding == .utf8 {
            if TextDecoding.isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
            encoding = .windows1252
        }
        return TextDecoding.windows1252(bytes)
    }

    /// Guesses the encoding from the first chunk of a file: UTF-8 unless the bytes are invalid
    /// UTF-8 (a multi-byte character cut off by the chunk end does not count).
    static func guess(from sample: UnsafeBufferPointer<UInt8>) -> CSVTextEncoding {
        TextDecoding.isValidUTF8(sample, allowTruncatedEnd: true) ? .utf8 : .windows1252
    }
}
