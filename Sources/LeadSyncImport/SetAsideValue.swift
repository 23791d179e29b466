import LeadSyncCore

/// A value of an imported row that failed validation and was left out of the lead instead of
/// costing the whole row (lenient import). It is reported whole, never cut.
public struct SetAsideValue: Sendable, Hashable {
    /// The field (or `tags`, `notes`, `lifecycle_stage`) the value was meant for.
    public let field: String
    /// The value exactly as read from the file.
    public let value: String
    /// Why it was refused, in the store's words.
    public let reason: String
    /// The custom field the value was kept in, nil when it did not fit one (too long, control
    /// characters): then this report and the warnings file are where it lives.
    public let keptAs: String?
}

/// Sorts a lenient row's values into valid ones and set-aside ones.
struct SetAsideSorter {
    private(set) var values: [SetAsideValue] = []
    /// `x_<field>_raw` → the set-aside text(s), joined with "; " when a field had several.
    private(set) var keptFields: [String: String] = [:]

    /// The validated value, or nil after recording why `value` was set aside. With `keep`, the
    /// raw text is also kept in a custom field named after `field` when it is valid there.
    mutating func attempt<T>(field: String, value: String, keep: Bool = true, _ validate: () throws(LeadError) -> T) -> T? {
        do {
            return try validate()
        } catch {
            var keptAs: String?
            if keep, let name = Self.rawFieldName(for: field) {
                let combined = keptFields[name].map { $0 + "; " + value } ?? value
                if let text = try? LeadValidator.normalize(combined, for: .custom(name)), !text.isEmpty {
                    keptFields[name] = text
                    keptAs = name
                }
            }
            values.append(SetAsideValue(field: field, value: value, reason: error.description, keptAs: keptAs))
            return nil
        }
    }

    /// `x_phone_raw` for `phone`, `x_fair_raw` for `x_fair`; nil when the name cannot make one.
    static func rawFieldName(for field: String) -> String? {
        let base = field.hasPrefix("x_") ? String(field.dropFirst(2)) : field
        let name = "x_" + base + "_raw"
        return FieldName.isCustomName(name) ? name : nil
    }
}
