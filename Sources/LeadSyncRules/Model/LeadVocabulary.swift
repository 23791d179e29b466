import LeadSyncCore

/// The names the rules file may use, taken from the core's vocabulary; a rules file that names
/// anything else is refused, so a typo never silently scores nothing.
public enum LeadVocabulary {
    /// Standard contact fields a condition may test (custom fields are `x_` + lower snake case).
    public static let fields = LeadField.allCases.map(\.rawValue)

    /// Activity types, in the order error messages list them.
    public static let activityTypes = ActivityType.allCases.map(\.rawValue)

    /// Values of the `source` field.
    public static let sources = LeadSource.allCases.map(\.rawValue)

    /// Values of the `kind` field.
    public static let kinds = LeadKind.allCases.map(\.rawValue)

    /// The pseudo-field `stage`: conditions on it read ``LeadFacts/stage``.
    static let stageField = "stage"

    /// Values a condition on `field is VALUE` must come from, for the fields with a closed vocabulary.
    static func closedValues(of field: String) -> [String]? {
        switch field {
        case "source": sources
        case "kind": kinds
        case stageField: LifecycleStage.allCases.map(\.rawValue)
        default: nil
        }
    }

    /// Whether a condition may name `field`: a standard field, `stage`, or `x_` + `[a-z0-9_]+`.
    static func isKnownField(_ field: String) -> Bool {
        field == stageField || fields.contains(field) || FieldName.isCustomName(field)
    }
}
