/// The unit of merging: one field, the stage, one tag's membership, or the deleted flag of a lead.
/// Each key has a ``MergePolicy`` for concurrent writes.
public enum RegisterKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    case field(FieldName)
    case stage
    case tag(String)
    case deleted
    /// The lead this one was merged into (as a duplicate).
    case mergedInto
    /// A replicated setting such as the scoring rules.
    case setting(String)

    /// Register value meaning "member" / "deleted".
    public static let present = "1"
    /// Register value meaning "not a member" / "restored".
    public static let absent = "0"

    public var policy: MergePolicy {
        switch self {
        case .field: .lastWriterWins
        case .stage: .mostAdvancedStage
        case .tag: .prefer(Self.present)
        case .deleted: .prefer(Self.absent)
        case .mergedInto, .setting: .lastWriterWins
        }
    }

    /// The storage form: `f:email`, `stage`, `t:vip`, `deleted`.
    public var rawValue: String {
        switch self {
        case .field(let name): "f:\(name.rawValue)"
        case .stage: "stage"
        case .tag(let tag): "t:\(tag)"
        case .deleted: "deleted"
        case .mergedInto: "merged_into"
        case .setting(let name): "s:\(name)"
        }
    }

    public init?(rawValue: String) {
        if rawValue == "stage" {
            self = .stage
        } else if rawValue == "deleted" {
            self = .deleted
        } else if rawValue == "merged_into" {
            self = .mergedInto
        } else if rawValue.hasPrefix("s:"), rawValue.count > 2 {
            self = .setting(String(rawValue.dropFirst(2)))
        } else if rawValue.hasPrefix("f:"), let name = try? FieldName(validating: String(rawValue.dropFirst(2))) {
            self = .field(name)
        } else if rawValue.hasPrefix("t:"), rawValue.count > 2 {
            self = .tag(String(rawValue.dropFirst(2)))
        } else {
            return nil
        }
    }

    public var description: String { rawValue }
    public static func < (lhs: RegisterKey, rhs: RegisterKey) -> Bool { lhs.rawValue < rhs.rawValue }
}
