import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

// The `--json` shapes of leads, timelines, consent, merges and conflicts. Field names are part of the CLI's contract
// with scripts (Docs/cli-json.md): add fields freely, never rename or remove one.

/// A lead as `list --json` prints it, and the base of `show --json`.
struct LeadJSON: Encodable {
    let id: String
    /// Every non-empty field, standard and `x_` custom, by field name.
    let fields: [String: String]
    let stage: String
    let tags: [String]
    let deleted: Bool
    /// The lead this duplicate was merged into, or nil.
    let mergedInto: String?
    /// A GDPR tombstone: no personal data is kept.
    let erased: Bool
    let createdAt: String
    let createdBy: String
    let updatedAt: String

    init(_ lead: Lead) {
        id = lead.id.rawValue
        fields = lead.fields
        stage = lead.stage.rawValue
        tags = lead.tags
        deleted = lead.deleted
        mergedInto = lead.mergedInto?.rawValue
        erased = lead.erased
        createdAt = Formatting.iso8601(lead.createdAt)
        createdBy = lead.createdBy.rawValue
        updatedAt = Formatting.iso8601(lead.updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, fields, stage, tags, deleted, erased
        case mergedInto = "merged_into"
        case createdAt = "created_at", createdBy = "created_by", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(fields, forKey: .fields)
        try container.encode(stage, forKey: .stage)
        try container.encode(tags, forKey: .tags)
        try container.encode(deleted, forKey: .deleted)
        try container.encode(mergedInto, forKey: .mergedInto)
        try container.encode(erased, forKey: .erased)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `show --json`: the lead plus its timeline, open conflicts, stage history, consent and merges.
struct LeadDetailJSON: Encodable {
    let detail: LeadDetail

    func encode(to encoder: any Encoder) throws {
        try LeadJSON(detail.lead).encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        let timeline = detail.timeline.map { ActivityJSON($0, shownOn: detail.lead.id) }
        try container.encode(timeline, forKey: .timeline)
        // `notes` predates the timeline and stays for older scripts: the same entries.
        try container.encode(timeline, forKey: .notes)
        try container.encode(detail.conflicts.map(ConflictJSON.init), forKey: .conflicts)
        try container.encode(detail.stageHistory.map(StageChangeJSON.init), forKey: .stageHistory)
        var consent = container.nestedContainer(keyedBy: ChannelKey.self, forKey: .consent)
        for channel in ConsentChannel.allCases {
            try consent.encode(detail.consent[channel].map(ConsentStateJSON.init), forKey: ChannelKey(channel))
        }
        try container.encode(detail.consentEvents.map(ConsentEventJSON.init), forKey: .consentEvents)
        try container.encode(detail.duplicates.map(MergedDuplicateJSON.init), forKey: .mergedDuplicates)
    }

    enum CodingKeys: String, CodingKey {
        case timeline, notes, conflicts, consent
        case stageHistory = "stage_history", consentEvents = "consent_events", mergedDuplicates = "merged_duplicates"
    }

    struct ChannelKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ channel: ConsentChannel) { stringValue = channel.rawValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// One timeline entry: an activity of the lead, or of a duplicate merged into it.
struct ActivityJSON: Encodable {
    /// When it was logged: the wall-clock part of its HLC.
    let at: String
    /// When it happened (`log --at`), else when it was logged.
    let time: String
    let by: String
    let node: String
    let type: String
    let text: String
    /// The lead it was logged on.
    let record: String
    /// The duplicate it came from, when that is not the shown lead; else nil.
    let mergedFrom: String?

    init(_ activity: Activity, shownOn lead: RecordID) {
        at = Formatting.iso8601(activity.hlc)
        time = Formatting.iso8601(millis: activity.time)
        by = activity.origin.rawValue
        node = activity.origin.node.rawValue
        type = activity.type
        text = activity.text
        record = activity.record.rawValue
        mergedFrom = activity.record == lead ? nil : activity.record.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case at, time, by, node, type, text, record
        case mergedFrom = "merged_from"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(time, forKey: .time)
        try container.encode(by, forKey: .by)
        try container.encode(node, forKey: .node)
        try container.encode(type, forKey: .type)
        try container.encode(text, forKey: .text)
        try container.encode(record, forKey: .record)
        try container.encode(mergedFrom, forKey: .mergedFrom)
    }
}

/// One write of the lifecycle stage.
struct StageChangeJSON: Encodable {
    let stage: String
    let at: String
    let by: String

    init(_ change: StageChange) {
        stage = change.stage.rawValue
        at = Formatting.iso8601(change.hlc)
        by = change.origin.rawValue
    }
}

/// A channel's current consent and the event that decided it.
struct ConsentStateJSON: Encodable {
    let status: String
    let consented: Bool
    let how: String
    let doubleOptIn: Bool
    let at: String
    let by: String

    init(_ state: ConsentState) {
        status = state.status.jsonName
        consented = state.isConsented
        how = state.decidedBy.how
        doubleOptIn = state.decidedBy.doubleOptIn
        at = Formatting.iso8601(millis: state.decidedBy.at)
        by = state.decidedBy.by
    }

    enum CodingKeys: String, CodingKey {
        case status, consented, how, at, by
        case doubleOptIn = "double_opt_in"
    }
}

/// One recorded consent event (GDPR: when, how, by whom).
struct ConsentEventJSON: Encodable {
    let channel: String
    let granted: Bool
    let how: String
    let doubleOptIn: Bool
    /// When it was given or withdrawn (`consent --at`), else when it was recorded.
    let time: String
    /// When it was recorded.
    let at: String
    let by: String
    let record: String

    init(_ event: LeadSyncStore.ConsentEvent) {
        channel = event.entry.channel.rawValue
        granted = event.entry.granted
        how = event.entry.how
        doubleOptIn = event.entry.doubleOptIn
        time = Formatting.iso8601(millis: event.time)
        at = Formatting.iso8601(event.hlc)
        by = event.origin.rawValue
        record = event.record.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case channel, granted, how, time, at, by, record
        case doubleOptIn = "double_opt_in"
    }
}

/// A duplicate merged into the shown lead.
struct MergedDuplicateJSON: Encodable {
    let id: String
    let name: String
    let mergedAt: String
    let mergedBy: String
    let updatedAt: String
    let editedAfterMerge: Bool
    let deleted: Bool

    init(_ duplicate: MergedDuplicate) {
        id = duplicate.lead.id.rawValue
        name = LeadText.displayName(duplicate.lead)
        mergedAt = Formatting.iso8601(duplicate.mergedAt)
        mergedBy = duplicate.mergedBy.rawValue
        updatedAt = Formatting.iso8601(duplicate.lead.updatedAt)
        editedAfterMerge = duplicate.editedAfterMerge
        deleted = duplicate.lead.deleted
    }

    enum CodingKeys: String, CodingKey {
        case id, name, deleted
        case mergedAt = "merged_at", mergedBy = "merged_by", updatedAt = "updated_at"
        case editedAfterMerge = "edited_after_merge"
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

/// What editing commands (`set`, `delete`, `restore`, `tag`, `untag`, `note`, `log`) print in `--json`.
struct EditJSON: Encodable {
    let id: String
    /// How many operations the command wrote (0 when there was nothing to change).
    let operations: Int
}
