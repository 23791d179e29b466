import Foundation

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
        fold(utf8: Array(text.utf8))
    }

    /// ``fold(_:)`` of text given as UTF-8.
    static func fold(utf8: [UInt8]) -> String {
        var bytes = utf8
        for index in bytes.indices where bytes[index] &- UInt8(ascii: "A") < 26 { bytes[index] += 32 }
        for step in steps { replace(step.from, with: step.to, in: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``replacements`` as bytes.
    private static let steps = replacements.map { (from: Array($0.from.utf8), to: Array($0.to.utf8)) }

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

    /// Replaces every occurrence of `pattern` in `bytes`, scanned left to right without overlaps
    /// (SQLite's `replace()`). Most text holds no occurrence and is left as it is, uncopied: the
    /// fold runs for every lead an import creates (``NewLeadRow``).
    private static func replace(_ pattern: [UInt8], with replacement: [UInt8], in bytes: inout [UInt8]) {
        guard var index = firstOccurrence(of: pattern, in: bytes, from: 0) else { return }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2)
        output.append(contentsOf: bytes[..<index])
        while true {
            output.append(contentsOf: replacement)
            index += pattern.count
            guard let next = firstOccurrence(of: pattern, in: bytes, from: index) else { break }
            output.append(contentsOf: bytes[index..<next])
            index = next
        }
        output.append(contentsOf: bytes[index...])
        bytes = output
    }

    private static func firstOccurrence(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { text in
            pattern.withUnsafeBufferPointer { pattern in
                guard let base = text.baseAddress, let first = pattern.first, start + pattern.count <= text.count else { return nil }
                var index = start
                // memchr finds the candidates: most bytes are not the pattern's first.
                while index <= text.count - pattern.count,
                      let found = memchr(base + index, Int32(first), text.count - pattern.count + 1 - index) {
                    index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if (1..<pattern.count).allSatisfy({ text[index + $0] == pattern[$0] }) { return index }
                    index += 1
                }
                return nil
            }
        }
    }
}
