import Foundation

/// A field separator: `,` is the standard, German Excel writes `;`, some exports use tab.
public enum CSVDelimiter: UInt8, Sendable, CaseIterable {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09

    /// The separator as text, for writers.
    public var character: Character { Character(Unicode.Scalar(rawValue)) }

    /// Picks the candidate occurring most often outside quotes in the header line; ties and
    /// single-column headers give the comma. `header` may run past the first line.
    static func detect(inHeader header: UnsafeBufferPointer<UInt8>) -> CSVDelimiter {
        var counts: [CSVDelimiter: Int] = [:]
        var quoted = false
        for byte in header {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == 0x0A || byte == 0x0D { break }
                if let delimiter = CSVDelimiter(rawValue: byte) { counts[delimiter, default: 0] += 1 }
            }
        }
        var best = CSVDelimiter.comma
        for candidate in allCases where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }

    /// Whether `header` already holds the complete first line (a line break outside quotes).
    static func containsLineEnd(_ header: UnsafeBufferPointer<UInt8>) -> Bool {
        var quoted = false
        for byte in header {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted, byte == 0x0A || byte == 0x0D {
                return true
            }
        }
        return false
    }
}
