/// What an operation does to one lead. Each case maps to writes of per-field registers
/// (see ``RegisterKey``) or, for notes, to an append-only activity.
public enum Change: Sendable, Hashable {
    /// A new lead with its first field values, stage and tags.
    case create(fields: [FieldName: String], stage: LifecycleStage, tags: [String])
    /// Field writes; an empty value clears the field.
    case set([FieldName: String])
    case delete
    case restore
    case tag([String])
    case untag([String])
    case stage(LifecycleStage)
    case activity(ActivityEntry)
    case consent(ConsentEntry)
    /// Marks this lead as a duplicate merged into another; later edits to it stay visible for review.
    case merge(into: RecordID)
    /// GDPR erasure: every replica removes the lead's personal data and keeps a tombstone.
    case erase
    /// A replicated setting (e.g. the scoring rules), written by the hub on ``RecordID/settings``.
    case setting(name: String, value: String)
    /// The placeholder an operation becomes when the lead it changed was erased: it keeps the op's
    /// place in its origin's sequence and its causal stamps, nothing else.
    case redacted

    /// A free-text note: the simplest activity.
    public static func note(_ text: String) -> Change {
        .activity(ActivityEntry(type: .note, text: text))
    }

    /// The action's name on the wire and in the op log.
    public var action: String {
        switch self {
        case .create: "create"
        case .set: "set"
        case .delete: "delete"
        case .restore: "restore"
        case .tag: "tag"
        case .untag: "untag"
        case .stage: "stage"
        case .activity: "activity"
        case .consent: "consent"
        case .merge: "merge"
        case .erase: "erase"
        case .setting: "setting"
        case .redacted: "redacted"
        }
    }

    /// The register writes this change makes, in a deterministic order.
    public var writes: [(key: RegisterKey, value: String)] {
        switch self {
        case .create(let fields, let stage, let tags):
            fieldWrites(fields.filter { !$0.value.isEmpty }) + [(.stage, stage.rawValue)]
                + tags.sorted().map { (.tag($0), RegisterKey.present) }
        case .set(let fields):
            fieldWrites(fields)
        case .delete:
            [(.deleted, RegisterKey.present)]
        case .restore:
            [(.deleted, RegisterKey.absent)]
        case .tag(let tags):
            tags.sorted().map { (.tag($0), RegisterKey.present) }
        case .untag(let tags):
            tags.sorted().map { (.tag($0), RegisterKey.absent) }
        case .stage(let stage):
            [(.stage, stage.rawValue)]
        case .merge(let target):
            [(.mergedInto, target.rawValue)]
        case .setting(let name, let value):
            [(.setting(name), value)]
        case .activity, .consent, .erase, .redacted:
            []
        }
    }

    private func fieldWrites(_ fields: [FieldName: String]) -> [(key: RegisterKey, value: String)] {
        fields.sorted { $0.key < $1.key }.map { (.field($0.key), $0.value) }
    }
}
