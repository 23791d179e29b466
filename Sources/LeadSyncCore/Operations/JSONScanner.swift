/// A forward-only reader of JSON text for hot decoding paths (the hub reads every pushed operation).
/// It reads the shapes its caller asks for and answers `nil` for anything else, including everything
/// RFC 8259 refuses (invalid UTF-8, lone surrogates, raw control characters, leading zeros) and some
/// things it allows but a fast path never needs (escaped keys, fractions, exponents, negative numbers,
/// `null`). Callers treat `nil` as "take the exact, slower path", which then reports the error.
///
/// It reads borrowed bytes: neither the scanner nor a ``JSONKey`` may outlive the buffer.
public struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether only whitespace is left.
    public mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// Opens an object: `true` when members follow, `false` for `{}`, `nil` when no object starts here.
    public mutating func beginObject() -> Bool? {
        begin(Byte.openBrace, Byte.closeBrace)
    }

    /// After a member's value: `true` when another member follows, `false` at the object's end.
    public mutating func nextMember() -> Bool? {
        next(Byte.closeBrace)
    }

    /// Opens an array: `true` when elements follow, `false` for `[]`, `nil` when no array starts here.
    public mutating func beginArray() -> Bool? {
        begin(Byte.openBracket, Byte.closeBracket)
    }

    /// After an element: `true` when another element follows, `false` at the array's end.
    public mutating func nextElement() -> Bool? {
        next(Byte.closeBracket)
    }

    /// Where the next value starts, after whitespace; with ``text(from:)`` a caller keeps a value's
    /// exact text.
    public mutating func startOfValue() -> Int {
        skipWhitespace()
        return position
    }

    /// The text from `start` (a ``startOfValue()``) to where the scanner stands.
    public func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A member's key and its `:`. Keys with escapes are refused: no key a fast path knows needs one.
    public mutating func key() -> JSONKey? {
        skipWhitespace()
        guard byte(at: position) == Byte.quote, let end = endOfPlainText(from: position + 1),
              byte(at: end) == Byte.quote
        else { return nil }
        let key = JSONKey(bytes: UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end]))
        position = end + 1
        skipWhitespace()
        guard byte(at: position) == Byte.colon else { return nil }
        position += 1
        return key
    }

    /// A string value. Without escapes (the common case) it is made from the bytes in one step.
    public mutating func string() -> String? {
        skipWhitespace()
        guard byte(at: position) == Byte.quote, let end = endOfPlainText(from: position + 1) else { return nil }
        guard byte(at: end) == Byte.quote else { return escapedString(from: position + 1, firstEscape: end) }
        let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end]), as: UTF8.self)
        position = end + 1
        return string
    }

    /// A non-negative integer without fraction or exponent that fits in 64 bits.
    public mutating func unsignedInteger() -> UInt64? {
        skipWhitespace()
        var index = position
        let first = byte(at: index)
        guard Self.isDigit(first) else { return nil }
        var value = UInt64(first &- Byte.zero)
        index += 1
        if first != Byte.zero {
            while case let digit = byte(at: index), Self.isDigit(digit) {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = product.addingReportingOverflow(UInt64(digit &- Byte.zero))
                guard !overflow, !carry else { return nil }
                value = sum
                index += 1
            }
        }
        // A digit after a leading zero, a fraction or an exponent: not an integer as written here.
        let next = byte(at: index)
        guard !Self.isDigit(next), next != Byte.dot, next != UInt8(ascii: "e"), next != UInt8(ascii: "E") else {
            return nil
        }
        position = index
        return value
    }

    /// `true` or `false`.
    public mutating func bool() -> Bool? {
        skipWhitespace()
        if matchesLiteral("true") { return true }
        if matchesLiteral("false") { return false }
        return nil
    }

    /// An array of strings.
    public mutating func strings() -> [String]? {
        guard var more = beginArray() else { return nil }
        var result: [String] = []
        while more {
            guard let string = string(), let next = nextElement() else { return nil }
            result.append(string)
            more = next
        }
        return result
    }

    // MARK: - Bytes

    /// The byte at `index`, or 0 past the end: NUL is valid nowhere in JSON text, so every caller
    /// stops on it as on any other unexpected byte.
    @inline(__always)
    private func byte(at index: Int) -> UInt8 {
        index < bytes.count ? bytes[index] : 0
    }

    private mutating func skipWhitespace() {
        while case let current = byte(at: position),
              current == Byte.space || current == Byte.newline || current == Byte.carriageReturn || current == Byte.tab {
            position += 1
        }
    }

    private mutating func begin(_ open: UInt8, _ close: UInt8) -> Bool? {
        skipWhitespace()
        guard byte(at: position) == open else { return nil }
        position += 1
        skipWhitespace()
        guard byte(at: position) == close else { return true }
        position += 1
        return false
    }

    private mutating func next(_ close: UInt8) -> Bool? {
        skipWhitespace()
        switch byte(at: position) {
        case Byte.comma:
            position += 1
            return true
        case close:
            position += 1
            return false
        default:
            return nil
        }
    }

    private mutating func matchesLiteral(_ literal: StaticString) -> Bool {
        let rest = UnsafeBufferPointer(rebasing: bytes[position...])
        guard literal.withUTF8Buffer({ rest.starts(with: $0) }) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    /// The index after the multi-byte UTF-8 sequence starting at `index`, if it is well-formed
    /// (Unicode table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    private func endOfMultiByteScalar(at index: Int) -> Int? {
        func isContinuation(_ offset: Int) -> Bool { byte(at: index + offset) & 0xC0 == 0x80 }
        let second = byte(at: index + 1)
        switch byte(at: index) {
        case 0xC2...0xDF:
            return isContinuation(1) ? index + 2 : nil
        case 0xE0:
            return (0xA0...0xBF).contains(second) && isContinuation(2) ? index + 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return isContinuation(1) && isContinuation(2) ? index + 3 : nil
        case 0xED:
            return (0x80...0x9F).contains(second) && isContinuation(2) ? index + 3 : nil
        case 0xF0:
            return (0x90...0xBF).contains(second) && isContinuation(2) && isContinuation(3) ? index + 4 : nil
        case 0xF1...0xF3:
            return isContinuation(1) && isContinuation(2) && isContinuation(3) ? index + 4 : nil
        case 0xF4:
            return (0x80...0x8F).contains(second) && isContinuation(2) && isContinuation(3) ? index + 4 : nil
        default:
            return nil
        }
    }

    /// Where the text from `index` on stops being plain: the index of the next `"` or `\`, once
    /// the bytes before it are known to be valid string content (no control characters, valid UTF-8).
    private func endOfPlainText(from index: Int) -> Int? {
        var index = index
        while true {
            let current = byte(at: index)
            if current == Byte.quote || current == Byte.backslash { return index }
            guard current >= 0x20 else { return nil }
            if current < 0x80 {
                index += 1
            } else {
                guard let next = endOfMultiByteScalar(at: index) else { return nil }
                index = next
            }
        }
    }

    /// A string that has escapes: its plain runs copied, its escapes replaced.
    private mutating func escapedString(from start: Int, firstEscape: Int) -> String? {
        var text: [UInt8] = []
        text.reserveCapacity(firstEscape - start + 32)
        var runStart = start
        var runEnd = firstEscape
        while true {
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<runEnd]))
            guard byte(at: runEnd) == Byte.backslash else {
                position = runEnd + 1
                return String(decoding: text, as: UTF8.self)
            }
            guard let next = appendEscape(at: runEnd, to: &text), let end = endOfPlainText(from: next) else { return nil }
            runStart = next
            runEnd = end
        }
    }

    /// Appends what the escape at `index` stands for; the index after it.
    private func appendEscape(at index: Int, to text: inout [UInt8]) -> Int? {
        let replacement: UInt8
        switch byte(at: index + 1) {
        case Byte.quote: replacement = Byte.quote
        case Byte.backslash: replacement = Byte.backslash
        case Byte.slash: replacement = Byte.slash
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = Byte.newline
        case UInt8(ascii: "r"): replacement = Byte.carriageReturn
        case UInt8(ascii: "t"): replacement = Byte.tab
        case UInt8(ascii: "u"):
            guard let unit = hexUnit(at: index + 2) else { return nil }
            var scalarValue = UInt32(unit)
            var next = index + 6
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate counts only with a low one in the next escape.
                guard byte(at: next) == Byte.backslash, byte(at: next + 1) == UInt8(ascii: "u"),
                      let low = hexUnit(at: next + 2), (0xDC00...0xDFFF).contains(low)
                else { return nil }
                scalarValue = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
                next += 6
            case 0xDC00...0xDFFF:
                return nil
            default:
                break
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
            UTF8.encode(scalar) { text.append($0) }
            return next
        default:
            return nil
        }
        text.append(replacement)
        return index + 2
    }

    /// The four hex digits at `index` as a UTF-16 code unit.
    private func hexUnit(at index: Int) -> UInt16? {
        var unit: UInt16 = 0
        for offset in 0..<4 {
            let current = byte(at: index + offset)
            let digit: UInt8
            switch current {
            case Byte.zero...UInt8(ascii: "9"): digit = current - Byte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = current - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = current - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- Byte.zero < 10
    }
}

/// A member's key as the bytes between its quotes; valid only while the scanner's buffer is.
/// Matched against literals in `switch` cases.
public struct JSONKey {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The key as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public static func ~= (literal: StaticString, key: JSONKey) -> Bool {
        literal.withUTF8Buffer(key.is)
    }

    /// Whether the key is exactly these bytes.
    func `is`(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == name.count else { return false }
        for offset in 0..<name.count where bytes[offset] != name[offset] {
            return false
        }
        return true
    }
}

/// The ASCII bytes JSON's grammar is made of.
private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")
}
