import Foundation

/// The parameters of one vCard property, reduced to what lead import needs.
struct VCardParameters: Sendable {
    /// Lowercased TYPE values from `TYPE=work,pref`, repeated `TYPE=` and 2.1 bare `;WORK`.
    var types: [String] = []
    /// Lower is more preferred; `TYPE=pref` and bare `PREF` count as 1.
    var pref: Int?
    /// Uppercased ENCODING, e.g. QUOTED-PRINTABLE or BASE64.
    var encoding: String?
    var charset: String?
    /// Field name written by ``VCardWriter`` so custom fields survive a round trip unchanged.
    var leadSyncField: String?

    mutating func notePreference(_ value: Int) {
        pref = min(pref ?? value, value)
    }
}

/// One unfolded content line split into group, name, parameters and still-encoded value bytes.
struct VCardProperty: Sendable {
    var group: String?
    /// Uppercased property name without group.
    var name: String
    var parameters: VCardParameters
    /// Raw value bytes: possibly quoted-printable, in the property's charset, still escaped.
    var value: [UInt8]
    var line: Int

    private static let bareEncodings: Set<String> = ["QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"]

    /// Parses `NAME;PARAM=x:value`, honouring double-quoted parameter values.
    init(_ logical: VCardLogicalLine) throws(ExchangeError) {
        let bytes = logical.bytes
        guard let colon = VCardProperty.headEnd(bytes) else {
            throw .vcardMalformedProperty(line: logical.line, excerpt: ExchangeError.excerpt(bytes: bytes))
        }
        let head = String(decoding: bytes[..<colon], as: UTF8.self)
        let parts = VCardProperty.splitHead(head)
        var qualifiedName = parts.first?.trimmed ?? ""
        if let dot = qualifiedName.lastIndex(of: ".") {
            group = String(qualifiedName[..<dot])
            qualifiedName = String(qualifiedName[qualifiedName.index(after: dot)...])
        } else {
            group = nil
        }
        guard !qualifiedName.isEmpty else {
            throw .vcardMalformedProperty(line: logical.line, excerpt: ExchangeError.excerpt(bytes: bytes))
        }
        name = qualifiedName.uppercased()
        line = logical.line
        value = Array(bytes[(colon + 1)...])
        parameters = VCardParameters()
        for part in parts.dropFirst() {
            parseParameter(part)
        }
    }

    private mutating func parseParameter(_ part: String) {
        guard let equals = part.firstIndex(of: "=") else {
            let bare = part.trimmed.uppercased()
            if VCardProperty.bareEncodings.contains(bare) {
                parameters.encoding = bare
            } else if !bare.isEmpty {
                addTypes(bare)
            }
            return
        }
        let key = part[..<equals].trimmed.uppercased()
        var rawValue = part[part.index(after: equals)...].trimmed
        if rawValue.count >= 2, rawValue.hasPrefix("\""), rawValue.hasSuffix("\"") {
            rawValue = String(rawValue.dropFirst().dropLast())
        }
        switch key {
        case "TYPE": addTypes(rawValue)
        case "PREF": if let number = Int(rawValue) { parameters.notePreference(number) }
        case "ENCODING": parameters.encoding = rawValue.uppercased()
        case "CHARSET": parameters.charset = rawValue
        case "X-LEADSYNC-FIELD": parameters.leadSyncField = rawValue.lowercased()
        default: break
        }
    }

    private mutating func addTypes(_ list: String) {
        for item in list.split(separator: ",") {
            let type = item.trimmed.lowercased()
            guard !type.isEmpty else { continue }
            if type == "pref" { parameters.notePreference(1) }
            parameters.types.append(type)
        }
    }

    /// The decoded value text, still vCard-escaped; nil for binary (BASE64) values.
    func text() throws(ExchangeError) -> String? {
        var bytes = value
        switch parameters.encoding {
        case "QUOTED-PRINTABLE":
            guard let decoded = QuotedPrintable.decode(bytes) else {
                throw .vcardInvalidQuotedPrintable(line: line, property: name)
            }
            bytes = decoded
        case "BASE64", "B":
            return nil
        default:
            break
        }
        guard let charset = parameters.charset else { return TextDecoding.utf8OrWindows1252(bytes) }
        guard let decoded = TextDecoding.decode(bytes, charset: charset) else {
            throw .vcardUnsupportedCharset(line: line, property: name, charset: charset)
        }
        return decoded
    }

    /// Index of the colon that ends name and parameters, skipping colons in quoted parameters.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        var quoted = false
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == UInt8(ascii: ":"), !quoted { return index }
        }
        return nil
    }

    /// Splits `NAME;A=1;B="x;y"` on semicolons outside quotes.
    private static func splitHead(_ head: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in head {
            if character == "\"" { quoted.toggle() }
            if character == ";", !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}
