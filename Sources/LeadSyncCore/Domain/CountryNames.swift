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
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.utf8.count == 2, codes.contains(trimmed.uppercased()) { return trimmed.uppercased() }
        return byName[Self.fold(trimmed)]
    }

    /// Lower case, without accents, punctuation as single spaces (the generator's folding).
    public static func fold(_ text: String) -> String {
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
}

extension LeadValidator {
    /// The ISO 3166-1 alpha-2 code `text` names (`Deutschland` → `DE`), nil when it names none.
    public static func countryCode(_ text: String) -> String? {
        CountryNames.shared.code(for: text)
    }
}
