import Foundation

/// Normalises and validates user and import input before it becomes an operation, so every replica
/// stores the same canonical text (trimmed, single-spaced, e-mail domain lower-cased).
public enum LeadValidator {
    public static let maxFieldLength = 1_000
    public static let maxNoteLength = 20_000

    /// The canonical form of `value` for `field`; an empty result means "clear the field".
    public static func normalize(_ value: String, for field: FieldName) throws(LeadError) -> String {
        let collapsed = collapseWhitespace(value)
        guard collapsed.count <= maxFieldLength else { throw .tooLong(field: field.rawValue, limit: maxFieldLength) }
        if collapsed.isEmpty { return collapsed }
        switch field {
        case .standard(.email): return try normalizeEmail(collapsed)
        case .standard(.phone): return try validatePhone(collapsed)
        case .standard(.source): return try member(collapsed, of: LeadSource.self, field: field)
        case .standard(.kind): return try member(collapsed, of: LeadKind.self, field: field)
        case .standard(.owner): return try normalizeOwner(collapsed)
        default: return collapsed
        }
    }

    /// Validates a whole field map, e.g. the fields of a new lead; keys are field names.
    public static func normalize(fields: [String: String]) throws(LeadError) -> [FieldName: String] {
        var result: [FieldName: String] = [:]
        for (name, value) in fields {
            let field = try FieldName(validating: name)
            result[field] = try normalize(value, for: field)
        }
        return result
    }

    public static func stage(_ raw: String) throws(LeadError) -> LifecycleStage {
        let value = collapseWhitespace(raw).lowercased()
        guard let stage = LifecycleStage(rawValue: value) else {
            throw .invalidValue(field: "lifecycle_stage", value: raw, allowed: LifecycleStage.allCases.map(\.rawValue))
        }
        return stage
    }

    public static func tag(_ raw: String) throws(LeadError) -> String {
        let tag = hasPrintableASCIIEnds(raw) ? raw : raw.trimmingCharacters(in: .whitespaces)
        guard !tag.isEmpty, tag.count <= 64, !tag.contains(where: { $0.isWhitespace || $0 == "," }) else {
            throw .invalidTag(raw)
        }
        return tag
    }

    public static func note(_ raw: String) throws(LeadError) -> String {
        let text = hasPrintableASCIIEnds(raw) ? raw : raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalidValue(field: "note", value: raw, allowed: ["non-empty text"]) }
        guard text.count <= maxNoteLength else { throw .tooLong(field: "note", limit: maxNoteLength) }
        return text
    }

    static func collapseWhitespace(_ value: String) -> String {
        if isCanonicalSpacing(value) { return value }
        return value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The common case, checked on scalars without grapheme breaking: no edge spaces, no runs,
    /// no tabs, newlines or other control characters, no Unicode space, and no non-ASCII scalar
    /// right after a space (a combining mark would make the space a non-space grapheme). Then
    /// the slow path would return the value unchanged.
    private static func isCanonicalSpacing(_ value: String) -> Bool {
        var previousWasSpace = true
        for scalar in value.unicodeScalars {
            let code = scalar.value
            if code < 0x80 {
                if code < 0x20 || code == 0x7F { return false }
                let isSpace = code == 0x20
                if isSpace && previousWasSpace { return false }
                previousWasSpace = isSpace
            } else {
                if previousWasSpace || scalar.properties.isWhitespace { return false }
            }
        }
        return !previousWasSpace || value.isEmpty
    }

    /// Whether trimming cannot change `value`: it starts and ends with a printable ASCII
    /// character (whitespace sets contain none of them).
    private static func hasPrintableASCIIEnds(_ value: String) -> Bool {
        guard let first = value.utf8.first, let last = value.utf8.last else { return false }
        return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last)
    }

    static func normalizeEmail(_ value: String) throws(LeadError) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return try normalizeASCIIEmail(value) }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, !value.contains(" ") else {
            throw .invalidEmail(value)
        }
        let domain = parts[1].lowercased()
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }),
              domain.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }),
              let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter)
        else { throw .invalidEmail(value) }
        return "\(parts[0])@\(domain)"
    }

    /// ``normalizeEmail(_:)`` for ASCII input, on bytes: the same rules, where a letter is
    /// A-Z or a-z, a number 0-9, and a character one byte.
    private static func normalizeASCIIEmail(_ value: String) throws(LeadError) -> String {
        let bytes = Array(value.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes[(at + 1)...].firstIndex(of: UInt8(ascii: "@")) == nil,
              at > 0, at <= 64, !bytes.contains(UInt8(ascii: " "))
        else { throw .invalidEmail(value) }
        let domain = bytes[(at + 1)...].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        func isLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }),
              domain.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
              let tld = labels.last, tld.count >= 2, tld.allSatisfy(isLetter)
        else { throw .invalidEmail(value) }
        return String(decoding: bytes[...at] + domain, as: UTF8.self)
    }

    static func validatePhone(_ value: String) throws(LeadError) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            // The same rule on bytes (Set<Character> lookups cost more than the rest of an import row).
            var digits = 0
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"),
                     UInt8(ascii: "."), UInt8(ascii: " "): continue
                default: throw .invalidPhone(value)
                }
            }
            guard digits >= 3 else { throw .invalidPhone(value) }
            return value
        }
        let allowed = Set("0123456789+-()/. ")
        guard value.allSatisfy({ allowed.contains($0) }), value.filter(\.isNumber).count >= 3 else {
            throw .invalidPhone(value)
        }
        return value
    }

    static func normalizeOwner(_ value: String) throws(LeadError) -> String {
        if value.contains("@") {
            do { return try normalizeEmail(value) } catch { throw .invalidOwner(value) }
        }
        let lowered = value.lowercased()
        guard NodeID.isValid(lowered) else { throw .invalidOwner(value) }
        return lowered
    }

    static func member<E: RawRepresentable & CaseIterable>(
        _ value: String, of type: E.Type, field: FieldName
    ) throws(LeadError) -> String where E.RawValue == String {
        let lowered = value.lowercased()
        guard E(rawValue: lowered) != nil else {
            throw .invalidValue(field: field.rawValue, value: value, allowed: E.allCases.map(\.rawValue))
        }
        return lowered
    }
}
