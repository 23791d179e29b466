import Foundation

/// Locale-free text comparison keys, so every replica folds the same text the same way.
///
/// Only the standard library's Unicode tables and Foundation's canonical decomposition are used;
/// no `Locale`, so a Turkish or German system locale changes nothing.
extension String {
    /// Leading and trailing whitespace and newlines removed.
    func trimmingWhitespace() -> String {
        // Fast path: most values start and end with a visible ASCII character.
        if let first = utf8.first, let last = utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return self
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }

    /// Case-insensitive key: Unicode default lower-casing (locale-independent).
    var caseFolded: String { lowercased() }

    /// Case- and diacritic-insensitive key: canonical decomposition, combining marks dropped,
    /// lower-cased, and the letters without a decomposition spelled out (`ß` → `ss`, `æ` → `ae`,
    /// `ø` → `o`, `ł` → `l`, `đ` → `d`, `œ` → `oe`).
    var diacriticFolded: String {
        let lower = lowercased()
        if lower.utf8.allSatisfy({ $0 < 0x80 }) { return lower }
        var out = String.UnicodeScalarView()
        for scalar in lower.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            switch scalar {
            case "ß", "ẞ": out.append(contentsOf: "ss".unicodeScalars)
            case "æ": out.append(contentsOf: "ae".unicodeScalars)
            case "œ": out.append(contentsOf: "oe".unicodeScalars)
            case "ø": out.append("o")
            case "ł": out.append("l")
            case "đ": out.append("d")
            case "ı": out.append("i")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
