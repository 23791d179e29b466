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
        if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        guard text.utf8.count <= 254, !text.unicodeScalars.contains(where: isControlOrSpace),
              let at = text.lastIndex(of: "@")
        else { throw .invalidEmail(value) }
        let local = String(text[..<at])
        let domainText = String(text[text.index(after: at)...])
        guard isDotAtom(local), local.utf8.count <= 64, let domain = canonicalDomain(domainText) else { throw .invalidEmail(value) }
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
        let specials = Set("!#$%&'*+-/=?^_`{|}~.".unicodeScalars)
        return local.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || specials.contains(scalar)
            }
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .spacingMark
        }
    }

    /// The domain in Unicode, NFC, lower case, if it is a valid IDNA 2008 host name with a
    /// top-level domain ending in a letter and no special-use name; nil otherwise.
    static func canonicalDomain(_ text: String) -> String? {
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
