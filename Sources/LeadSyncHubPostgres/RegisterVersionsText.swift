import Foundation
import LeadSyncCore

/// Registers' standing versions as JSON text, `[{"origin":…,"seq":…,"hlc":[wall,counter],"value":…}]`
/// per register (the shape `Version`'s `Codable` gives), and a record's registers as one object of
/// those. Every group commit reads and writes the registers of every record its operations touch;
/// Foundation's coders spent about a third of the hub's CPU time on them, so this writes that one
/// shape by hand, as bytes, and reads it back in one pass. Text in any other valid shape (other key
/// order, whitespace) is still read, through `JSONDecoder`.
enum RegisterVersionsText {
    static func encode(_ versions: [Version]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(versions.count * 96)
        append(versions, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [Version] {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            var reader = Reader(bytes: bytes)
            return reader.versions().flatMap { reader.atEnd ? $0 : nil }
        }
        if let fast, let versions = fast { return versions }
        return try JSONDecoder().decode([Version].self, from: Data(text.utf8))
    }

    /// A record's registers as one JSON object, `{"f:email":[…versions…],"stage":[…]}`, keys in
    /// order: the `register_set.registers` column (one row per record, see ``PostgresSchema``).
    /// Registers without versions are left out.
    static func encode(registers: [RegisterKey: Register]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(registers.count * 112)
        var first = true
        let sorted = registers.compactMap { key, register in register.versions.isEmpty ? nil : (key.rawValue, register.versions) }
            .sorted { $0.0 < $1.0 }
        for (key, versions) in sorted {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            appendQuoted(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            append(versions, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads ``encode(registers:)``'s text (or any JSON object of version arrays); a key that is
    /// no register key is refused.
    static func decodeRegisters(_ text: String) throws -> [RegisterKey: [Version]] {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            var reader = Reader(bytes: bytes)
            return reader.registers().flatMap { reader.atEnd ? $0 : nil }
        }
        if let fast, let registers = fast { return registers }
        var registers: [RegisterKey: [Version]] = [:]
        for (raw, versions) in try JSONDecoder().decode([String: [Version]].self, from: Data(text.utf8)) {
            guard let key = RegisterKey(rawValue: raw) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a register key: \(raw)"))
            }
            registers[key] = versions
        }
        return registers
    }

    private static func append(_ versions: [Version], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, version) in versions.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: #"{"origin":"#.utf8)
            appendQuoted(version.origin.rawValue, to: &bytes)
            bytes.append(contentsOf: #","seq":"#.utf8)
            appendDecimal(version.seq, to: &bytes)
            bytes.append(contentsOf: #","hlc":["#.utf8)
            appendDecimal(UInt64(version.hlc.wallMillis), to: &bytes)
            bytes.append(UInt8(ascii: ","))
            appendDecimal(UInt64(version.hlc.counter), to: &bytes)
            bytes.append(contentsOf: #"],"value":"#.utf8)
            appendQuoted(version.value, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        guard value >= 10 else {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        appendDecimal(value / 10, to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
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
            if take("]") { return versions }
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
                if take("]") { return versions }
                guard take(",") else { return nil }
            }
            return nil
        }

        var atEnd: Bool { index == bytes.count }

        mutating func registers() -> [RegisterKey: [Version]]? {
            guard take("{") else { return nil }
            var registers: [RegisterKey: [Version]] = [:]
            if take("}") { return registers }
            // Bounded: every round consumes at least one key.
            while index < bytes.count {
                guard let raw = string(), let key = RegisterKey(rawValue: raw), take(":"), let versions = versions(),
                      registers.updateValue(versions, forKey: key) == nil
                else { return nil }
                if take("}") { return registers }
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
