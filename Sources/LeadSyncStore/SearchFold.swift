/// How search compares text: the way a German user expects. Case is ignored, and ü = u = ue,
/// ö = o = oe, ä = a = ae, ß = ss, é = e: both the searched text and the query are folded to one
/// form, so "MÜLLER", "muller" and "Mueller" all find "Müller".
///
/// The fold runs inside SQLite as `lower()` and `replace()` calls (C speed: no per-row callback,
/// so `list --search` stays interactive with 50,000 leads), and ``fold(_:)`` applies exactly the
/// same steps to the query, byte for byte.
public enum SearchFold {
    /// Applied in order after lower-casing A-Z: the umlauts and accents, then the spelled-out umlauts.
    static let replacements: [(from: String, to: String)] = [
        ("ä", "a"), ("Ä", "a"), ("ö", "o"), ("Ö", "o"), ("ü", "u"), ("Ü", "u"), ("ß", "ss"), ("ẞ", "ss"),
        ("é", "e"), ("É", "e"), ("ae", "a"), ("oe", "o"), ("ue", "u"),
    ]

    /// The folded form of `text`, as the SQL of ``sql(_:)`` computes it.
    public static func fold(_ text: String) -> String {
        var bytes = Array(text.utf8).map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }
        for replacement in replacements {
            bytes = replace(Array(replacement.from.utf8), with: Array(replacement.to.utf8), in: bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The lead columns search looks at, first and last name adjacent so a full name matches.
    static let searchedColumns = [
        "first_name", "last_name", "email", "company", "job_title", "city", "country", "event", "phone", "custom",
    ]

    /// SQL for a lead's `search_text`: its folded searchable fields, then its folded notes.
    /// - Parameters:
    ///   - lead: the SQL of the lead's `pk` (whose notes are read).
    ///   - row: the prefix of the lead's columns, `NEW.` in a trigger on `lead`, else `lead.`.
    static func searchTextSQL(lead: String, row: String) -> String {
        let fields = searchedColumns.map { "coalesce(\(row)\($0), '')" }.joined(separator: " || ' ' || ")
        let notes = "coalesce((SELECT group_concat(text, ' ') FROM activity WHERE activity.lead = \(lead) AND type = 'note'), '')"
        return sql("\(fields) || ' ' || \(notes)")
    }

    /// SQL folding the text of `expression` (e.g. a column), for `… LIKE ?` with a folded pattern.
    static func sql(_ expression: String) -> String {
        replacements.reduce("lower(\(expression))") { sql, replacement in
            "replace(\(sql), '\(replacement.from)', '\(replacement.to)')"
        }
    }

    /// `bytes` with every occurrence of `pattern`, scanned left to right without overlaps, replaced
    /// (SQLite's `replace()`).
    private static func replace(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + pattern.count <= bytes.count, bytes[index..<index + pattern.count].elementsEqual(pattern) {
                output.append(contentsOf: replacement)
                index += pattern.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
