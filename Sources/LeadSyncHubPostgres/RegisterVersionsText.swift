import Foundation
import LeadSyncCore

/// The `register.versions` column: a register's standing versions as JSON text,
/// `[{"origin":…,"seq":…,"hlc":[wall,counter],"value":…}]` (the shape `Version`'s
/// `Codable` gives). Every group commit reads and writes the versions of every register its
/// operations touch; Foundation's coders spent about a third of the hub's CPU time on them, so
/// this writes that one shape by hand and reads it back in one pass. Text in any other valid shape
/// (other key order, whitespace) is still read, through `JSONDecoder`.
enum RegisterVersionsText {
    static func encode(_ versions: [Version]) -> String {
        var text = "["
        for (index, version) in versions.enumerated() {
            if index > 0 { text += "," }
            text += "{\"origin\":"
            appendQuoted(version.origin.rawValue, to: &text)
            text += ",\"seq\":\(version.seq),\"hlc\":[\(version.hlc.wallMillis),\(version.hlc.counter)],\"value\":"
            appendQuoted(version.value, to: &text)
            text += "}"
        }
        text += "]"
        return text
    }

    static func decode(_ text: String) throws -> [Version] {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            var reader = Reader(bytes: bytes)
            return reader.versions()
        }
        if let fast, let versions = fast { return versions }
        return try JSONDecoder().decode([Version].self, from: Data(text.utf8))
    }

    private static func appendQuoted(_ string: String, to text: inout String) {
        text += "\""
        var plain = true
        for byte in string.utf8 where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
            plain = false
            break
        }
        guard !plain else {
            text += string
            text += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// Reads exactly the shape ``encode(_:)`` writes (and `JSONEncoder` writes for `[Version]`);
    /// nil at anything else, and the caller falls back to `JSONDecoder`.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func versions() -> [Version]? {
            guard take("[") else { return nil }
            var versions: [Version] = []
            if take("]") { return index == bytes.count ? versions : nil }
            // Bounded: every round consumes at least one object.
            while index < bytes.count {
                guard take("{\"origin\":"), let origin = string(), let actor = try? ActorID(validating: origin),
                      take(",\"seq\":"), let seq = unsigned(),
                      take(",\"hlc\":["), let wall = unsigned(), wall <= UInt64(HLC.maxWallMillis),
                      take(","), let counter = unsigned(), counter <= UInt64(UInt16.max),
                      take("],\"value\":"), let value = string(), take("}")
                else { return nil }
                versions.append(Version(
                    origin: actor, seq: seq, hlc: HLC(wallMillis: Int64(wall), counter: UInt16(counter)), value: value))
                if take("]") { return index == bytes.count ? versions : nil }
                guard take(",") else { return nil }
            }
            return nil
        }

        private mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let matches = literal.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
            if matches { index += count }
            return matches
        }

        private mutating func unsigned() -> UInt64? {
            var value: UInt64 = 0
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                value = sum
                index += 1
            }
            return index > start && index - start <= 20 ? value : nil
        }

        /// A quoted string; escapes other than `\"`, `\\`, `\/`, `\n`, `\r`, `\t` and `\uXXXX`
        /// (surrogate pairs included) give nil.
        private mutating func string() -> String? {
            guard take("\"") else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                index += 1
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            guard var text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) else { return nil }
            return escaped(continuing: &text)
        }

        private mutating func escaped(continuing text: inout String) -> String? {
            var run = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                guard let plain = String(validating: UnsafeBufferPointer(rebasing: bytes[run..<index]), as: UTF8.self) else { return nil }
                text += plain
                index += 1
                if byte == UInt8(ascii: "\"") { return text }
                guard index < bytes.count else { return nil }
                let code = bytes[index]
                index += 1
                switch code {
                case UInt8(ascii: "\""): text += "\""
                case UInt8(ascii: "\\"): text += "\\"
                case UInt8(ascii: "/"): text += "/"
                case UInt8(ascii: "n"): text += "\n"
                case UInt8(ascii: "r"): text += "\r"
                case UInt8(ascii: "t"): text += "\t"
                case UInt8(ascii: "b"): text += "\u{08}"
                case UInt8(ascii: "f"): text += "\u{0C}"
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    text.unicodeScalars.append(scalar)
                default: return nil
                }
                run = index
            }
            return nil
        }

        /// The scalar of `XXXX` (after `\u`), reading the low half of a surrogate pair too.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            guard (0xD800...0xDBFF).contains(high) else { return Unicode.Scalar(high) }
            guard take("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }

        private mutating func hex4() -> UInt32? {
            guard bytes.count - index >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = hexDigit(bytes[index]) else { return nil }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        private func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }
    }
}
