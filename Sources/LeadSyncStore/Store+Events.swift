import GRDB
import LeadSyncCore

extension Store {
    /// Whether a lead's current consent for a channel (`?` = channel) is granted: the latest event
    /// by its time wins; a newsletter grant counts only with double opt-in.
    static let currentConsentSQL = """
        SELECT c.granted AND (c.channel <> 'newsletter' OR c.double_opt_in) FROM consent c
        WHERE c.lead = lead.pk AND c.channel = ?
        ORDER BY coalesce(c.at, c.hlc >> 16) DESC, c.hlc DESC, c.actor DESC LIMIT 1
        """

    /// A lead's notes and activities, and those of the duplicates merged into it, oldest first.
    public func activities(for record: RecordID) throws(StoreError) -> [Activity] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT lead.id AS record, actor.id AS origin, activity.seq, activity.hlc, activity.type, activity.text, activity.at
                FROM activity JOIN lead ON lead.pk = activity.lead JOIN actor ON actor.pk = activity.actor
                WHERE lead.id = ?1 OR lead.merged_into = ?1
                ORDER BY coalesce(activity.at, activity.hlc >> 16), activity.hlc, actor.id, activity.seq
                """, arguments: [record.rawValue]
            ).map { row in
                Activity(
                    record: try RecordID(validating: row["record"]), origin: try ActorID(validating: row["origin"]),
                    seq: UInt64(row["seq"] as Int64), hlc: HLC(packed: row["hlc"]), type: row["type"], text: row["text"],
                    at: row["at"])
            }
        }
    }

    /// Every consent event of a lead, oldest first.
    public func consentEvents(for record: RecordID) throws(StoreError) -> [ConsentEvent] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT actor.id AS origin, c.hlc, c.channel, c.granted, c.how, c.double_opt_in, c.at
                FROM consent c JOIN lead ON lead.pk = c.lead JOIN actor ON actor.pk = c.actor
                WHERE lead.id = ? ORDER BY coalesce(c.at, c.hlc >> 16), c.hlc, actor.id
                """, arguments: [record.rawValue]
            ).map { row in
                ConsentEvent(
                    record: record, origin: try ActorID(validating: row["origin"]), hlc: HLC(packed: row["hlc"]),
                    entry: ConsentEntry(
                        channel: ConsentChannel(rawValue: row["channel"]) ?? .email, granted: row["granted"],
                        how: row["how"], doubleOptIn: row["double_opt_in"], at: row["at"]))
            }
        }
    }

    /// Every lead's stage writes in HLC order: when it entered each stage and who moved it.
    /// `nil` gives all leads (the funnel report), else just one.
    public func stageHistories(for record: RecordID? = nil) throws(StoreError) -> [RecordID: [StageChange]] {
        try read { db in
            var sql = """
                SELECT lead.id AS record, s.stage, s.hlc, actor.id AS origin
                FROM stage_event s JOIN lead ON lead.pk = s.lead JOIN actor ON actor.pk = s.actor
                """
            var arguments: StatementArguments = []
            if let record {
                sql += " WHERE lead.id = ?"
                arguments = [record.rawValue]
            }
            sql += " ORDER BY s.lead, s.hlc, actor.id"
            var histories: [RecordID: [StageChange]] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                guard let stage = LifecycleStage(rawValue: row["stage"]) else { continue }
                histories[try RecordID(validating: row["record"]), default: []].append(
                    StageChange(stage: stage, hlc: HLC(packed: row["hlc"]), origin: try ActorID(validating: row["origin"])))
            }
            return histories
        }
    }

    /// A replicated setting's current value (e.g. `rules`), as the hub last wrote it.
    public func replicatedSetting(_ name: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = ?", arguments: [name]) }
    }
}
