import LeadSyncCore
import LeadSyncStore

// The `--json` shapes of leads, notes and conflicts. Field names are part of the CLI's contract
// with scripts (Docs/cli-json.md): add fields freely, never rename or remove one.

/// A lead as `list --json` prints it, and the base of `show --json`.
struct LeadJSON: Encodable {
    let id: String
    /// Every non-empty field, standard and `x_` custom, by field name.
    let fields: [String: String]
    let stage: String
    let tags: [String]
    let deleted: Bool
    let createdAt: String
    let createdBy: String
    let updatedAt: String

    init(_ lead: Lead) {
        id = lead.id.rawValue
        fields = lead.fields
        stage = lead.stage.rawValue
        tags = lead.tags
        deleted = lead.deleted
        createdAt = Formatting.iso8601(lead.createdAt)
        createdBy = lead.createdBy.rawValue
        updatedAt = Formatting.iso8601(lead.updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, fields, stage, tags, deleted
        case createdAt = "created_at", createdBy = "created_by", updatedAt = "updated_at"
    }
}

/// `show --json`: the lead plus its notes timeline (HLC order) and open conflicts.
struct LeadDetailJSON: Encodable {
    let lead: LeadJSON
    let notes: [NoteJSON]
    let conflicts: [ConflictJSON]

    func encode(to encoder: any Encoder) throws {
        try lead.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(notes, forKey: .notes)
        try container.encode(conflicts, forKey: .conflicts)
    }

    enum CodingKeys: String, CodingKey { case notes, conflicts }
}

struct NoteJSON: Encodable {
    let at: String
    let by: String
    let type: String
    let text: String

    init(_ activity: Activity) {
        at = Formatting.iso8601(activity.hlc)
        by = activity.origin.rawValue
        type = activity.type
        text = activity.text
    }
}

/// One losing value of a contact field, with the value that beat it.
struct ConflictJSON: Encodable {
    struct Side: Encodable {
        let value: String
        /// The actor (`node~suffix`) whose operation wrote the value.
        let writer: String
        let node: String
        let seq: UInt64
        let at: String

        init(_ version: Version) {
            value = version.value
            writer = version.origin.rawValue
            node = version.origin.node.rawValue
            seq = version.seq
            at = Formatting.iso8601(version.hlc)
        }
    }

    let lead: String
    let field: String
    let winner: Side
    let loser: Side

    init(_ conflict: Conflict) {
        lead = conflict.record.rawValue
        field = conflict.field
        winner = Side(conflict.winner)
        loser = Side(conflict.loser)
    }
}

/// What editing commands (`set`, `delete`, `restore`, `tag`, `untag`, `note`) print in `--json`.
struct EditJSON: Encodable {
    let id: String
    /// How many operations the command wrote (0 when there was nothing to change).
    let operations: Int
}
