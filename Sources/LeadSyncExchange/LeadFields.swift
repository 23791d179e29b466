import Foundation
import LeadSyncCore

/// The field vocabulary every format uses, taken from the core so parsers, writers and the store
/// agree on names.
public enum LeadFields {
    /// Standard field names plus `lifecycle_stage`, in the column order the `.leadsync` CSV dialect writes.
    public static let standard: [String] = {
        var names = LeadField.allCases.map(\.rawValue)
        names.insert("lifecycle_stage", at: names.firstIndex(of: LeadField.kind.rawValue) ?? names.endIndex)
        return names
    }()

    /// Values the store accepts for `source`; importers map CRM vocabularies onto these.
    public static let sources = LeadSource.allCases.map(\.rawValue)

    /// Values the store accepts for `lifecycle_stage`.
    public static let lifecycleStages = LifecycleStage.allCases.map(\.rawValue)

    /// Values the store accepts for `kind`.
    public static let kinds = LeadKind.allCases.map(\.rawValue)

    private static let standardSet = Set(standard)

    /// Whether `name` is one of the standard fields (exact, lower snake case).
    public static func isStandard(_ name: String) -> Bool {
        standardSet.contains(name)
    }

    /// Whether `name` is a well-formed custom field name: `x_` followed by lower snake case.
    public static func isValidCustomName(_ name: String) -> Bool {
        FieldName.isCustomName(name)
    }

    /// Turns a foreign label ("NumberOfEmployees", "Email Opt Out", "Größe") into a custom field
    /// name (`x_number_of_employees`, `x_email_opt_out`, `x_grosse`), so unknown data is kept
    /// under a predictable name instead of being dropped. Returns nil if nothing usable remains.
    public static func customName(for label: String) -> String? {
        let snake = snakeCase(label)
        guard !snake.isEmpty else { return nil }
        if snake.hasPrefix("x_"), snake.count > 2 { return snake }
        return "x_" + snake
    }

    /// Lower snake case in ASCII: diacritics are folded, camel case humps and any other
    /// characters become single underscores.
    static func snakeCase(_ text: String) -> String {
        let scalars = Array(text.decomposedStringWithCanonicalMapping.unicodeScalars)
        var out = ""
        var pendingSeparator = false
        var previous: Character = " "
        func emit(_ character: Character) {
            if pendingSeparator, !out.isEmpty { out.append("_") }
            pendingSeparator = false
            out.append(character)
            previous = character
        }
        for (index, scalar) in scalars.enumerated() {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar == "ß" {
                emit("s"); emit("s")
                continue
            }
            guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else {
                pendingSeparator = true
                continue
            }
            let character = Character(scalar)
            if character.isUppercase {
                let nextIsLower = index + 1 < scalars.count && scalars[index + 1].properties.isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    pendingSeparator = true
                }
                emit(Character(character.lowercased()))
                previous = character
            } else {
                emit(character)
            }
        }
        return out
    }
}
