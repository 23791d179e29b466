/// A lead's id: a random (version 4) UUID, generated offline, written lower-case. Random rather
/// than time-ordered so that a short prefix typed by a user identifies a lead (see Docs/architecture.md).
public struct RecordID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(validating raw: String) throws(IdentityError) {
        let bytes = Array(raw.utf8)
        guard bytes.count == 36 else { throw .invalidRecordID(raw) }
        for (index, byte) in bytes.enumerated() {
            let isDashPosition = index == 8 || index == 13 || index == 18 || index == 23
            let ok = isDashPosition ? byte == UInt8(ascii: "-") : Self.isLowerHex(byte)
            guard ok else { throw .invalidRecordID(raw) }
        }
        rawValue = raw
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> RecordID {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }
        let groups = [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }
        return try! RecordID(validating: groups.joined(separator: "-"))
    }

    static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    public static func < (lhs: RecordID, rhs: RecordID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
    /// The first eight characters: what lists show; unique in practice for random ids.
    public var short: String { String(rawValue.prefix(8)) }

    public init(from decoder: any Decoder) throws {
        let raw = try String(from: decoder)
        do { try self.init(validating: raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws { try rawValue.encode(to: encoder) }
}
