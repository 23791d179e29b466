import Foundation

/// Writes drafts as vCard 4.0 (RFC 6350), the form contact apps and CRMs import most reliably.
///
/// Output uses CRLF, folds lines at 75 octets without splitting a UTF-8 character, and escapes
/// text. Fields without a vCard property (source, event, owner, lifecycle_stage, kind and most
/// custom fields) are written as `X-LEADSYNC-<FIELD>` properties, and secondary emails and
/// phones carry an `X-LEADSYNC-FIELD` parameter, so ``VCardParser`` reads back exactly the
/// drafts that were written (for trimmed drafts with valid field names; line breaks inside
/// values come back as LF).
public enum VCardWriter {
    /// Custom fields that map onto native vCard properties instead of X-LEADSYNC ones.
    private static let nativeCustomFields: Set<String> = [
        "x_department", "x_middle_name", "x_name_prefix", "x_name_suffix", "x_role",
    ]
    private static let emailTypes: Set<String> = ["home", "work", "other"]
    private static let phoneTypes: Set<String> = [
        "cell", "fax", "pager", "home", "work", "video", "text", "textphone", "car", "isdn", "voice", "other",
    ]
    private static let urlTypes: Set<String> = ["home", "work", "other"]

    /// All drafts as one vCard 4.0 document.
    public static func write(_ drafts: [LeadDraft]) -> String {
        drafts.map(card(for:)).joined()
    }

    /// One card; exposed so large exports can be streamed card by card.
    public static func card(for draft: LeadDraft) -> String {
        let fields = draft.fields
        let value = { (name: String) in fields[name] ?? "" }
        var lines = ["BEGIN:VCARD", "VERSION:4.0"]

        let nameParts = ["last_name", "first_name", "x_middle_name", "x_name_prefix", "x_name_suffix"]
        lines.append("N:" + nameParts.map { VCardText.escape(value($0)) }.joined(separator: ";"))
        let fullName = [value("first_name"), value("last_name")].filter { !$0.isEmpty }.joined(separator: " ")
        let displayName = [fullName, value("company"), value("email")].first { !$0.isEmpty } ?? ""
        lines.append("FN:" + VCardText.escape(displayName))
        if fields["company"] != nil || fields["x_department"] != nil {
            lines.append("ORG:" + VCardText.escape(value("company")) + (fields["x_department"].map { ";" + VCardText.escape($0) } ?? ""))
        }
        if let title = fields["job_title"] { lines.append("TITLE:" + VCardText.escape(title)) }
        if let role = fields["x_role"] { lines.append("ROLE:" + VCardText.escape(role)) }
        if let email = fields["email"] { lines.append("EMAIL;PREF=1:" + VCardText.escape(email)) }
        if let phone = fields["phone"] { lines.append("TEL;VALUE=text;PREF=1:" + VCardText.escape(phone)) }

        let addressParts = ["", "", value("street"), value("city"), value("region"), value("postal_code"), value("country")]
        if addressParts.contains(where: { !$0.isEmpty }) {
            lines.append("ADR;TYPE=work:" + addressParts.map(VCardText.escape).joined(separator: ";"))
        }
        if let website = fields["website"] { lines.append("URL;PREF=1:" + VCardText.escapeURI(website)) }

        var extensions: [String] = []
        for name in fields.keys.sorted() where !isNativeStandard(name) && !nativeCustomFields.contains(name) {
            guard let fieldValue = fields[name] else { continue }
            if let (property, type) = typedCustom(name) {
                let typeParameter = type.map { ";TYPE=\($0)" } ?? ""
                let valueParameter = property == "TEL" ? ";VALUE=text" : ""
                let escaped = property == "URL" ? VCardText.escapeURI(fieldValue) : VCardText.escape(fieldValue)
                lines.append("\(property)\(valueParameter)\(typeParameter);X-LEADSYNC-FIELD=\(name):\(escaped)")
            } else {
                let propertyName = "X-LEADSYNC-" + name.uppercased().replacingOccurrences(of: "_", with: "-")
                extensions.append(propertyName + ":" + VCardText.escape(fieldValue))
            }
        }
        for note in draft.notes { lines.append("NOTE:" + VCardText.escape(note)) }
        if !draft.tags.isEmpty {
            lines.append("CATEGORIES:" + draft.tags.map(VCardText.escape).joined(separator: ","))
        }
        lines.append(contentsOf: extensions)
        lines.append("END:VCARD")
        return lines.map(fold).joined()
    }

    /// Standard fields that have their own vCard property above.
    private static func isNativeStandard(_ name: String) -> Bool {
        ["first_name", "last_name", "email", "phone", "company", "job_title",
         "street", "postal_code", "city", "region", "country", "website"].contains(name)
    }

    /// `x_email_home` → (EMAIL, home), `x_phone_2` → (TEL, nil); nil for names that are not
    /// secondary emails, phones or websites (e.g. `x_email_opt_out`).
    private static func typedCustom(_ name: String) -> (property: String, type: String?)? {
        let kinds: [(prefix: String, property: String, types: Set<String>)] = [
            ("x_email_", "EMAIL", emailTypes), ("x_phone_", "TEL", phoneTypes), ("x_website_", "URL", urlTypes),
        ]
        for kind in kinds where name.hasPrefix(kind.prefix) {
            var rest = Substring(name.dropFirst(kind.prefix.count))
            if !rest.isEmpty, rest.allSatisfy(\.isNumber) { return (kind.property, nil) }
            if let underscore = rest.lastIndex(of: "_") {
                let counter = rest[rest.index(after: underscore)...]
                if !counter.isEmpty, counter.allSatisfy(\.isNumber) { rest = rest[..<underscore] }
            }
            return kind.types.contains(String(rest)) ? (kind.property, String(rest)) : nil
        }
        return nil
    }

    /// Folds a content line into chunks of at most 75 octets plus CRLF, continuation lines
    /// starting with a space; cuts only before a UTF-8 lead byte.
    static func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > 75 else { return line + "\r\n" }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 25 + 2)
        var start = 0
        var limit = 75
        while start < bytes.count {
            var end = min(start + limit, bytes.count)
            while end < bytes.count, end > start + 1, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            if start > 0 { out.append(UInt8(ascii: " ")) }
            out.append(contentsOf: bytes[start..<end])
            out.append(contentsOf: [0x0D, 0x0A])
            start = end
            limit = 74
        }
        return String(decoding: out, as: UTF8.self)
    }
}
