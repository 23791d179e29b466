import Foundation

/// Reads the NTT DoCoMo MECARD format that many badge printers put in QR codes because it is
/// shorter than a vCard: `MECARD:N:Doe,John;TEL:+49301234;EMAIL:john@example.com;;`.
///
/// Fields are separated by `;`, keys from values by the first `:`; `\;` `\:` `\,` `\\` are
/// escapes. N is "last,first". Repeated TEL/EMAIL/URL become `x_phone_2`, `x_email_2`, ….
enum MECardParser {
    /// `body` is the text after the `MECARD:` prefix.
    static func parse(_ body: Substring) throws(ExchangeError) -> LeadDraft {
        var draft = LeadDraft()
        var counters: [String: Int] = [:]
        for item in split(String(body), on: ";") {
            guard let colon = firstUnescaped(":", in: item) else { continue }
            let key = item[..<colon].trimmed.uppercased()
            let rawValue = String(item[item.index(after: colon)...])
            switch key {
            case "N":
                let parts = split(rawValue, on: ",").map(unescape)
                if parts.count >= 2 {
                    draft.set("last_name", parts[0])
                    draft.set("first_name", parts[1...].joined(separator: " "))
                } else {
                    let (first, last) = VCardText.splitFullName(unescape(rawValue))
                    draft.set("first_name", first)
                    draft.set("last_name", last)
                }
            case "TEL": addRepeatable(unescape(rawValue), field: "phone", to: &draft, counters: &counters)
            case "EMAIL": addRepeatable(unescape(rawValue), field: "email", to: &draft, counters: &counters)
            case "URL": addRepeatable(unescape(rawValue), field: "website", to: &draft, counters: &counters)
            case "ORG": draft.setIfAbsent("company", unescape(rawValue))
            case "TITLE": draft.setIfAbsent("job_title", unescape(rawValue))
            case "NOTE": draft.addNote(unescape(rawValue))
            case "ADR": setAddress(rawValue, on: &draft)
            default: break  // SOUND, BDAY, NICKNAME, MEMORY and vendor keys carry nothing a lead needs.
            }
        }
        guard !draft.isEmpty else { throw .badgeNoContactData(format: "MECARD") }
        return draft
    }

    /// DoCoMo's ADR has the vCard component order separated by commas; anything else is
    /// treated as a one-line street address.
    private static func setAddress(_ rawValue: String, on draft: inout LeadDraft) {
        let parts = split(rawValue, on: ",").map { unescape($0).trimmed }
        guard parts.count == 7 else {
            draft.setIfAbsent("street", unescape(rawValue))
            return
        }
        let street = [parts[2], parts[1]].filter { !$0.isEmpty }.joined(separator: ", ")
        draft.setIfAbsent("street", street.isEmpty ? parts[0] : street)
        draft.setIfAbsent("city", parts[3])
        draft.setIfAbsent("region", parts[4])
        draft.setIfAbsent("postal_code", parts[5])
        draft.setIfAbsent("country", parts[6])
    }

    private static func addRepeatable(_ value: String, field: String, to draft: inout LeadDraft, counters: inout [String: Int]) {
        guard !value.trimmed.isEmpty else { return }
        guard draft.fields[field] != nil else {
            draft.set(field, value)
            return
        }
        let next = (counters[field] ?? 1) + 1
        counters[field] = next
        draft.set("x_\(field)_\(next)", value)
    }

    /// Splits on `separator` where it is not backslash-escaped; parts keep their escapes.
    private static func split(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    private static func firstUnescaped(_ target: Character, in text: String) -> String.Index? {
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == target {
                return index
            }
        }
        return nil
    }

    private static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                if !"\\;:,".contains(character) { out.append("\\") }
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        if escaped { out.append("\\") }
        return out
    }
}
