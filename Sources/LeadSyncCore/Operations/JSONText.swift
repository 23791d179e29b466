/// Minimal, fast JSON text building for the op log and the wire: ops are encoded once per
/// capture and once per sync, so this path is hot. Output is compact with keys in a fixed order.
public struct JSONText {
    private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Bytes that are JSON text already (an ``EncodedChange``).
    mutating func append(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    /// Digits written straight into the buffer: `String(value)` allocated for every number.
    public mutating func number(_ value: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: buffer[index...])
        }
    }

    /// Not generic, like ``number(_:)-(UInt64)``: a generic method called from another module runs
    /// unspecialised, and a replica's apply path writes three numbers for every field version.
    public mutating func number(_ value: Int64) {
        if let magnitude = UInt64(exactly: value) { number(magnitude) } else { bytes.append(contentsOf: String(value).utf8) }
    }

    public mutating func number<T: BinaryInteger>(_ value: T) {
        if let magnitude = UInt64(exactly: value) { number(magnitude) } else { bytes.append(contentsOf: String(value).utf8) }
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let plain = value.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain != true {
            for byte in value.utf8 { escaped(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: bytes.append(byte)
        }
    }

    mutating func stringArray(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object of string keys, sorted, so equal maps encode to equal bytes.
    mutating func object<V>(_ entries: [(String, V)], value: (inout JSONText, V) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        for (index, entry) in entries.sorted(by: { $0.0 < $1.0 }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(entry.0)
            bytes.append(UInt8(ascii: ":"))
            value(&self, entry.1)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `["a","b"]` for a list of strings.
    public static func encode(_ strings: [String]) -> String {
        var out = JSONText(capacity: 16 * strings.count + 2)
        out.stringArray(strings)
        return out.text
    }

    /// `{"k":"v",…}` with sorted keys, so equal maps give equal text.
    public static func encode(_ object: [String: String]) -> String {
        var out = JSONText(capacity: 32 * object.count + 2)
        out.object(object.map { ($0.key, $0.value) }) { $0.string($1) }
        return out.text
    }
}
