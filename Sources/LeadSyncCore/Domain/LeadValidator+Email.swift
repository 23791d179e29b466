import Foundation

extension LeadValidator {
    /// Top-level names that cannot receive mail (RFC 6761 special-use names, as email-validator).
    static let specialUseDomains: Set<String> = ["arpa", "invalid", "local", "localhost", "onion", "test"]

    /// A typed or imported e-mail address, checked like the email-validator package (without a
    /// deliverability look-up) and put in its one canonical form: a `mailto:` prefix dropped, the
    /// local part as typed, the domain in Unicode (Punycode labels decoded), NFC and lower case,
    /// so `j@xn--mller-kva.de` and `J@MÜLLER.DE` are both stored as `J@müller.de` / `j@müller.de`.
    public static func email(_ value: String) throws(LeadError) -> String {
        var text = collapseWhitespace(value)
        // Only text whose first bytes spell the scheme can lower-case to it.
        if text.utf8.count >= 7, zip(text.utf8, "mailto:".utf8).allSatisfy({ $0 | 0x20 == $1 }), text.lowercased().hasPrefix("mailto:") {
            text = String(text.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        let address: String? =
            switch asciiEmail(text) {
            case .valid(let address): address
            case .invalid: nil
            case .needsUnicode: unicodeEmail(text)
            }
        guard let address else { throw .invalidEmail(value) }
        return address
    }

    /// ``email(_:)``'s rules on Unicode scalars and characters, for any text (the ASCII fast
    /// path must give what this gives); nil for an invalid address.
    static func unicodeEmail(_ text: String) -> String? {
        guard text.utf8.count <= 254, !text.unicodeScalars.contains(where: isControlOrSpace),
              let at = text.lastIndex(of: "@")
        else { return nil }
        let local = String(text[..<at])
        let domainText = String(text[text.index(after: at)...])
        guard isDotAtom(local), local.utf8.count <= 64, let domain = canonicalDomain(domainText) else { return nil }
        return local + "@" + domain
    }

    /// The address lower-cased with its domain in canonical Unicode form where the domain is
    /// valid: the identity of a stored address however it was spelt (also before addresses
    /// were made canonical on input).
    public static func emailIdentity(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let domain = canonicalDomain(String(address[address.index(after: at)...])) else {
            return address.lowercased()
        }
        return (address[..<at] + "@" + domain).lowercased()
    }

    /// What the byte-level checks of an ASCII address or domain found.
    enum ASCIICheck {
        case valid(String)
        case invalid
        /// Not ASCII, or a Punycode label: the Unicode rules decide.
        case needsUnicode
    }

    /// ``email(_:)`` for ASCII text, on bytes: in ASCII, controls and the space are the bytes
    /// below 0x21 and 0x7F, letters are A-Z and a-z, and NFC and lower-casing change nothing
    /// but the letters' case. The Foundation and Unicode-property path cost an import about a
    /// tenth of its time (perf, 30,000 rows).
    static func asciiEmail(_ text: String) -> ASCIICheck {
        let bytes = text.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return .needsUnicode }
        guard bytes.count <= 254, !bytes.contains(where: { $0 < 0x21 || $0 == 0x7F }),
              let at = bytes.lastIndex(of: UInt8(ascii: "@"))
        else { return .invalid }
        let local = bytes[..<at]
        guard local.count <= 64, isASCIIDotAtom(local) else { return .invalid }
        switch asciiDomain(Substring(bytes[bytes.index(after: at)...])) {
        case .valid(let domain): return .valid(String(Substring(local)) + "@" + domain)
        case .invalid: return .invalid
        case .needsUnicode: return .needsUnicode
        }
    }

    /// ``isDotAtom(_:)`` for ASCII bytes.
    private static func isASCIIDotAtom(_ local: Substring.UTF8View) -> Bool {
        guard let first = local.first, let last = local.last, first != UInt8(ascii: "."), last != UInt8(ascii: ".") else { return false }
        var previous: UInt8 = 0
        for byte in local {
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return false }
            guard isAlphanumeric(byte) || atextSpecials.contains(byte) else { return false }
            previous = byte
        }
        return true
    }

    /// ``canonicalDomain(_:)`` for ASCII text: lower-cased, labels of a-z, 0-9 and inner
    /// hyphens; a label starting `xn--` is left to the Unicode rules (it must decode).
    static func asciiDomain(_ text: Substring) -> ASCIICheck {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return .needsUnicode }
        let lowered = text.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
        let labels = lowered.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return .invalid }
        for label in labels {
            if label.starts(with: "xn--".utf8) { return .needsUnicode }
            guard let first = label.first, let last = label.last, first != UInt8(ascii: "-"), last != UInt8(ascii: "-"),
                  label.count <= 63, label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return .invalid }
            let start = label.startIndex
            if label.count >= 4, label[start + 2] == UInt8(ascii: "-"), label[start + 3] == UInt8(ascii: "-") { return .invalid }
        }
        guard lowered.count <= 253, let tld = labels.last, let final = tld.last, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(final),
              !specialUseDomains.contains(String(decoding: tld, as: UTF8.self))
        else { return .invalid }
        return .valid(String(decoding: lowered, as: UTF8.self))
    }

    /// Lower-case ASCII letters and digits (after lower-casing) or upper-case ones too.
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// RFC 5322 atext besides letters and digits, and the dot.
    private static let atextSpecials = Set("!#$%&'*+-/=?^_`{|}~.".utf8)
    private static let atextSpecialScalars = Set("!#$%&'*+-/=?^_`{|}~.".unicodeScalars)

    /// Characters never allowed in an address: controls, format characters, separators, spaces.
    private static func isControlOrSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse, .unassigned, .surrogate:
            true
        default: false
        }
    }

    /// RFC 5322 dot-atom with RFC 6531 (SMTPUTF8) letters: atoms of atext joined by single dots.
    static func isDotAtom(_ local: String) -> Bool {
        guard !local.isEmpty, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        return local.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || atextSpecialScalars.contains(scalar)
            }
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .spacingMark
        }
    }

    /// The domain in Unicode, NFC, lower case, if it is a valid IDNA 2008 host name with a
    /// top-level domain ending in a letter and no special-use name; nil otherwise.
    static func canonicalDomain(_ text: String) -> String? {
        switch asciiDomain(Substring(text)) {
        case .valid(let domain): domain
        case .invalid: nil
        case .needsUnicode: unicodeDomain(text)
        }
    }

    /// ``canonicalDomain(_:)``'s rules through NFC, Unicode lower-casing and IDNA labels, for
    /// any text (the ASCII fast path must give what this gives).
    static func unicodeDomain(_ text: String) -> String? {
        let lowered = text.precomposedStringWithCanonicalMapping.lowercased().precomposedStringWithCanonicalMapping
        let labels = lowered.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2 else { return nil }
        var unicode: [String] = []
        var asciiLength = labels.count - 1
        for label in labels {
            guard let (uLabel, aLabel) = idnaLabel(label) else { return nil }
            unicode.append(uLabel)
            asciiLength += aLabel.utf8.count
        }
        guard asciiLength <= 253, let last = unicode.last, !specialUseDomains.contains(last),
              let tld = idnaLabel(last)?.1, let final = tld.unicodeScalars.last, ("a"..."z").contains(final)
        else { return nil }
        return unicode.joined(separator: ".")
    }

    /// A label as (Unicode form, ASCII form), or nil: letters, digits and marks and inner hyphens,
    /// no `ab--` except valid Punycode, at most 63 octets in ASCII.
    private static func idnaLabel(_ label: String) -> (String, String)? {
        guard !label.isEmpty, !label.hasPrefix("-"), !label.hasSuffix("-") else { return nil }
        let scalars = Array(label.unicodeScalars)
        if label.hasPrefix("xn--") {
            guard let decoded = Punycode.decode(String(label.dropFirst(4))), !decoded.isEmpty,
                  decoded.unicodeScalars.contains(where: { !$0.isASCII }),
                  decoded == decoded.precomposedStringWithCanonicalMapping.lowercased(),
                  Punycode.encode(decoded) == String(label.dropFirst(4)), isUnicodeLabel(decoded)
            else { return nil }
            return label.utf8.count <= 63 ? (decoded, label) : nil
        }
        if scalars.count >= 4, scalars[2] == "-", scalars[3] == "-" { return nil }
        if scalars.allSatisfy(\.isASCII) {
            let valid = scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            return valid && label.utf8.count <= 63 ? (label, label) : nil
        }
        guard isUnicodeLabel(label), let encoded = Punycode.encode(label), encoded.utf8.count + 4 <= 63 else { return nil }
        return (label, "xn--" + encoded)
    }

    /// Letters, digits, marks and hyphens: what IDNA 2008 allows in practice (no symbols, emoji, `_`).
    private static func isUnicodeLabel(_ label: String) -> Bool {
        label.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII { return ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" }
            let category = scalar.properties.generalCategory
            return scalar.properties.isAlphabetic || category == .decimalNumber || category == .nonspacingMark
                || category == .spacingMark
        }
    }
}
