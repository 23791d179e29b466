/// A lead's id: a random (version 4) UUID, generated offline, written lower-case. Random rather
/// than time-ordered so that a short prefix typed by a user identifies a lead (see Docs/architecture.md).
public struct RecordID: ValidatedIdentifier {
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
        let high = generator.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = generator.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, word) in [high, low].enumerated() {
            for nibble in 0..<16 {
                let position = index * 16 + nibble
                if position == 8 || position == 12 || position == 16 || position == 20 { text.append(UInt8(ascii: "-")) }
                text.append(digits[Int(word >> UInt64(60 - nibble * 4) & 0xF)])
            }
        }
        return RecordID(unchecked: String(decoding: text, as: UTF8.self))
    }

    private init(unchecked raw: String) {
        rawValue = raw
    }

    /// The reserved record that replicated settings (the scoring and routing rules) are written to.
    public static let settings = RecordID(unchecked: "00000000-0000-4000-8000-000000000000")

    static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// The first eight characters: what lists show; unique in practice for random ids.
    public var short: String { String(rawValue.prefix(8)) }
}
