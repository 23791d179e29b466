import Foundation

/// Normalises and validates user and import input before it becomes an operation, so every replica
/// stores the same canonical text (trimmed, single-spaced, e-mail domain lower-cased).
public enum LeadValidator {
    public static let maxFieldLength = 1_000
    public static let maxNoteLength = 20_000

    /// The canonical form of `value` for `field`; an empty result means "clear the field".
    public static func normalize(_ value: String, for field: FieldName) throws(LeadError) -> String {
        // A value in canonical spacing holds no control character at all, and needs no collapsing.
        let collapsed: String
        if hasCanonicalSpacing(value) {
            collapsed = value
        } else {
            try refuseControls(in: value, field: field.rawValue)
            collapsed = joiningWords(value)
        }
        // Counting characters walks grapheme clusters; the byte count bounds it and is free.
        guard collapsed.utf8.count <= maxFieldLength || collapsed.count <= maxFieldLength else {
            throw .tooLong(field: field.rawValue, limit: maxFieldLength)
        }
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
        result.reserveCapacity(fields.count)
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
        let tag = hasCanonicalSpacing(raw) ? raw : raw.trimmingCharacters(in: .whitespaces)
        guard !tag.isEmpty, tag.utf8.count <= 256, tag.count <= 64,
              !tag.utf8.contains(where: { $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 < 0x20 }),
              !tag.contains(where: \.isWhitespace)
        else { throw .invalidTag(raw) }
        return tag
    }

    public static func note(_ raw: String) throws(LeadError) -> String {
        try activity(type: .note, text: raw, at: nil).text
    }

    /// An activity: notes need text; every text is bounded.
    public static func activity(type: ActivityType, text: String, at: Int64?) throws(LeadError) -> ActivityEntry {
        try refuseControls(in: text, field: type == .note ? "note" : "text")
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if type == .note && trimmed.isEmpty { throw .invalidValue(field: "note", value: text, allowed: ["non-empty text"]) }
        guard trimmed.count <= maxNoteLength else { throw .tooLong(field: "text", limit: maxNoteLength) }
        if let at, at < 0 || at >= 1 << 47 { throw .invalidValue(field: "at", value: String(at), allowed: ["a time after 1970"]) }
        return ActivityEntry(type: type, text: trimmed, at: at)
    }

    /// A consent event: how it was obtained must be said (traceability).
    public static func consent(
        channel: ConsentChannel, granted: Bool, how: String, doubleOptIn: Bool, at: Int64?
    ) throws(LeadError) -> ConsentEntry {
        try refuseControls(in: how, field: "how")
        let how = collapseWhitespace(how)
        guard !how.isEmpty else { throw .invalidValue(field: "how", value: how, allowed: ["a short description of how consent was given or withdrawn"]) }
        guard how.count <= maxFieldLength else { throw .tooLong(field: "how", limit: maxFieldLength) }
        if let at, at < 0 || at >= 1 << 47 { throw .invalidValue(field: "at", value: String(at), allowed: ["a time after 1970"]) }
        return ConsentEntry(channel: channel, granted: granted, how: how, doubleOptIn: doubleOptIn, at: at)
    }

    /// Names of replicated settings: `[a-z_]{1,32}`.
    public static func settingName(_ name: String) throws(LeadError) -> String {
        guard (1...32).contains(name.utf8.count),
              name.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "_") })
        else { throw .invalidValue(field: "setting", value: name, allowed: ["a-z and _"]) }
        return name
    }

    /// A replicated setting's value (the rules file), kept verbatim but for control characters.
    public static func settingValue(_ value: String) throws(LeadError) -> String {
        try refuseControls(in: value, field: "setting value")
        return value
    }

    /// Refuses NUL and the C0 control characters other than TAB, LF and CR, naming the field and
    /// the 1-based character position. Text stays whole or is refused: SQLite's C interface, the
    /// terminal and many exporters cut text at a NUL or mangle it at other controls, so a value
    /// holding one would not read back as it was written.
    public static func refuseControls(in value: String, field: String) throws(LeadError) {
        guard value.utf8.contains(where: isForbiddenControl) else { return }
        var position = 0
        for character in value {
            position += 1
            if let scalar = character.unicodeScalars.first(where: { $0.isASCII && isForbiddenControl(UInt8($0.value)) }) {
                throw .controlCharacter(field: field, position: position, scalar: scalar.value)
            }
        }
    }

    private static func isForbiddenControl(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D
    }

    static func collapseWhitespace(_ value: String) -> String {
        hasCanonicalSpacing(value) ? value : joiningWords(value)
    }

    /// The Character rule behind ``collapseWhitespace(_:)``: the words joined by single spaces.
    private static func joiningWords(_ value: String) -> String {
        value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The common case, checked on bytes: no edge spaces, no runs, no tabs or newlines, and no
    /// non-ASCII byte that could start a Unicode space (lead bytes C2, E1, E2, E3) or attach a
    /// combining mark to a space. Anything else takes the Character-level path.
    static func hasCanonicalSpacing(_ value: String) -> Bool {
        var previous: UInt8?
        for byte in value.utf8 {
            if byte < 0x20 || byte == 0x7F { return false }
            if byte >= 0x80, previous == 0x20 || byte == 0xC2 || (0xE1...0xE3).contains(byte) { return false }
            if byte == 0x20, previous == nil || previous == 0x20 { return false }
            previous = byte
        }
        return previous != 0x20
    }

    /// `local@domain.tld`: the local part kept as typed (it may be case-sensitive), the domain
    /// lower-cased, labels of letters, digits and hyphens, a top-level domain of letters.
    /// Alphabetic, answered for ASCII without the Unicode property tables.
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) : scalar.properties.isAlphabetic
    }

    static func normalizeEmail(_ value: String) throws(LeadError) -> String {
        let bytes = Array(value.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at <= 64,
              !bytes[(at + 1)...].contains(UInt8(ascii: "@")), !bytes.contains(0x20)
        else { throw .invalidEmail(value) }
        let domain = String(decoding: bytes[(at + 1)...], as: UTF8.self).lowercased()
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 }),
              domain.unicodeScalars.allSatisfy({ $0 == "-" || $0 == "." || isLetter($0) || ("0"..."9").contains($0) }),
              let tld = labels.last, tld.utf8.count >= 2, tld.unicodeScalars.allSatisfy(isLetter)
        else { throw .invalidEmail(value) }
        return String(decoding: bytes[...at], as: UTF8.self) + domain
    }

    /// The stored-form check: what people typed before numbers were parsed (digits and
    /// `+ - ( ) / .` and spaces), or E.164 with an RFC 3966 `;ext=` extension.
    static func validatePhone(_ value: String) throws(LeadError) -> String {
        var digits = 0
        var number = value.utf8[...]
        if let marker = value.utf8.firstIndex(of: UInt8(ascii: ";")) {
            let parameter = value.utf8[marker...].dropFirst()
            guard parameter.starts(with: "ext=".utf8), parameter.count > 4,
                  parameter.dropFirst(4).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { throw .invalidPhone(value) }
            number = value.utf8[..<marker]
        }
        for byte in number {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"),
                 UInt8(ascii: "."), UInt8(ascii: " "):
                continue
            default: throw .invalidPhone(value)
            }
        }
        guard digits >= 3 else { throw .invalidPhone(value) }
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
