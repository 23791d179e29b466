import Foundation

/// One `--map COLUMN=field` argument: the user's correction when automatic header matching
/// guesses wrong, e.g. `--map "Vorname=first_name"` or `--map "Internal ID=ignore"`.
public struct ColumnOverride: Sendable, Hashable {
    /// The CSV column, matched like headers (case, spaces, `_` and `-` ignored).
    public var column: String
    /// Where the column goes.
    public var target: ColumnMapping.Target

    /// Creates an override programmatically, e.g. from a saved import profile.
    public init(column: String, target: ColumnMapping.Target) {
        self.column = column
        self.target = target
    }

    /// Parses `COLUMN=field`; the last `=` separates, since column names may contain `=` but
    /// field names never do. `field` is a standard field, a custom `x_name`, `tags`, `notes` or
    /// `ignore`; anything else is an error so that a typo does not silently create a field.
    public init(parsing argument: String) throws(ExchangeError) {
        guard let equals = argument.lastIndex(of: "=") else { throw .mappingMalformedOverride(argument) }
        let column = argument[..<equals].trimmed
        let field = argument[argument.index(after: equals)...].trimmed
        guard !column.isEmpty, !field.isEmpty else { throw .mappingMalformedOverride(argument) }
        let name = field.lowercased()
        switch name {
        case "ignore": target = .ignore
        case "tags": target = .tags
        case "notes": target = .notes
        default:
            guard LeadFields.isStandard(name) || LeadFields.isValidCustomName(name) else {
                throw .mappingUnknownTargetField(column: column, field: field)
            }
            target = .field(name)
        }
        self.column = column
    }
}
