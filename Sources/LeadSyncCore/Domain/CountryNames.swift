import Foundation

/// ISO 3166-1 alpha-2 codes from alpha-2 and alpha-3 codes and English, German and French
/// country names (see ``CountryNameTable``), matched without regard to case, accents and
/// punctuation: `Germany`, `Deutschland`, `DEU`, `de` and `Allemagne` are all `DE`.
public struct CountryNames: Sendable {
    /// The one table, parsed on first use.
    public static let shared = CountryNames()

    private let codes: Set<String>
    private let byName: [String: String]

    private init() {
        var codes = Set<String>()
        var byName: [String: String] = [:]
        for line in CountryNameTable.text.split(separator: "\n") {
            let parts = line.split(separator: "|").map(String.init)
            guard let code = parts.first else { continue }
            codes.insert(code)
            for name in parts.dropFirst() where byName[name] == nil { byName[name] = code }
        }
        self.codes = codes
        self.byName = byName
    }

    /// The alpha-2 code `text` names, nil when it names no country.
    public func code(for text: String) -> String? {
        let trimmed = Self.trimmed(text)
        if trimmed.utf8.count == 2, codes.contains(trimmed.uppercased()) { return trimmed.uppercased() }
        return byName[Self.fold(trimmed)]
    }

    /// `text` without leading and trailing white space (TAB and Unicode space separators);
    /// text that starts and ends with another ASCII character has none, and Foundation's trim
    /// is left for the rest.
    private static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last, first < 0x80, last < 0x80, first != 0x20, first != 0x09,
              last != 0x20, last != 0x09
        else { return text.trimmingCharacters(in: .whitespaces) }
        return text
    }

    /// Lower case, without accents, punctuation as single spaces (the generator's folding).
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiFold(text) }
        var folded = ""
        var pendingSpace = false
        for scalar in text.lowercased().replacingOccurrences(of: "ß", with: "ss").decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.canonicalCombiningClass.rawValue != 0 { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if pendingSpace && !folded.isEmpty { folded.append(" ") }
                pendingSpace = false
                folded.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return folded
    }

    /// ``fold(_:)`` for ASCII text, where lower-casing, decomposition and the Unicode properties
    /// reduce to byte ranges: most country cells are ASCII, and the general path cost an import
    /// about a tenth of its time (perf, 30,000 rows).
    private static func asciiFold(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lower) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lower) {
                if pendingSpace && !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
                pendingSpace = false
                bytes.append(lower)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension LeadValidator {
    /// The ISO 3166-1 alpha-2 code `text` names (`Deutschland` → `DE`), nil when it names none.
    public static func countryCode(_ text: String) -> String? {
        CountryNames.shared.code(for: text)
    }
}
