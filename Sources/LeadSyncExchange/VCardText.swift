import Foundation

/// Escaping rules shared by the vCard parser and writer (RFC 6350 section 3.4).
///
/// Splitting happens before unescaping so that `\;` and `\,` stay inside their component.
enum VCardText {
    /// Splits on `separator` where it is not escaped; the parts keep their escapes.
    static func split(_ text: String, on separator: Unicode.Scalar) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                current.append(scalar)
                escaped = true
            } else if scalar == separator {
                parts.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        parts.append(String(current))
        return parts
    }

    /// Resolves `\n` `\N` `\\` `\,` `\;` `\:`; any other backslash is kept as written, because
    /// old writers leave Windows paths and the like unescaped.
    static func unescape(_ text: String) -> String {
        guard text.unicodeScalars.contains("\\") else { return text }
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                switch scalar {
                case "n", "N": out.append("\n")
                case "\\", ",", ";", ":": out.append(scalar)
                default:
                    out.append("\\")
                    out.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.append(scalar)
            }
        }
        if escaped { out.append("\\") }
        return String(out)
    }

    /// Components of a structured value such as N, ORG or ADR.
    static func components(_ text: String) -> [String] {
        split(text, on: ";").map(unescape)
    }

    /// Tags from a CATEGORIES value. A tag cannot hold a comma, so escaped commas separate too
    /// (Thunderbird escapes the list's own commas), and spaces inside a category become `-`
    /// (Android's `My Contacts` is the tag `My-Contacts`).
    static func categories(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\\,", with: ",").split(separator: ",").map { item in
            unescape(String(item)).split(whereSeparator: { $0.isWhitespace }).joined(separator: "-")
        }
    }

    /// Escapes a text value; line breaks (CRLF, CR or LF) become `\n`.
    static func escape(_ text: String) -> String {
        escape(text, separators: true)
    }

    /// Escapes a URI value: only backslashes and line breaks, since commas and semicolons are
    /// legal URI characters that other readers must see unchanged.
    static func escapeURI(_ text: String) -> String {
        escape(text, separators: false)
    }

    private static func escape(_ text: String, separators: Bool) -> String {
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case ",", ";":
                if separators { out.append("\\") }
                out.append(scalar)
            case "\r": out.append(contentsOf: "\\n".unicodeScalars)
            case "\n": if !previousWasCR { out.append(contentsOf: "\\n".unicodeScalars) }
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Splits a full name on its last space: "Anna Maria Schmidt" gives ("Anna Maria", "Schmidt").
    /// A single word is taken as the last name, which CRMs such as Salesforce require.
    static func splitFullName(_ name: String) -> (first: String, last: String) {
        let clean = name.trimmed
        guard let space = clean.lastIndex(where: { $0 == " " || $0 == "\t" }) else { return ("", clean) }
        return (String(clean[..<space]).trimmed, String(clean[clean.index(after: space)...]).trimmed)
    }
}
