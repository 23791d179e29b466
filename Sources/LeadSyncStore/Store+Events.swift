import GRDB
import LeadSyncCore

extension Store {
    /// A lead's notes and activities, and those of the duplicates merged into it, oldest first.
    public func activities(for record: RecordID) throws(StoreError) -> [Activity] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT lead.id AS record, actor.id AS origin, activity.seq, activity.hlc, activity.type, activity.text, activity.at
                FROM activity JOIN lead ON lead.pk = activity.lead JOIN actor ON actor.pk = activity.actor
                WHERE lead.id = ?1 OR lead.merge_root = ?1
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

    /// Every consent event of a lead and of the duplicates merged into it, oldest first (as
    /// ``activities(for:)`` joins their activities: a withdrawal recorded on a duplicate still counts
    /// after the merge). Each event keeps the record it was recorded on.
    ///
    /// The events only: current consent is derived from them by one definition, `Consent.current`
    /// of LeadSyncRules, for `show` and `list --consented` alike.
    public func consentEvents(for record: RecordID) throws(StoreError) -> [ConsentEvent] {
        try read { db in try Self.consentEvents(db, of: record)[record] ?? [] }
    }

    /// The consent events of every lead, grouped like ``consentEvents(for:)``: each event appears
    /// under the lead it was recorded on and, when that lead was merged into another, under that one
    /// too. Leads without events are absent.
    public func consentEventsByLead() throws(StoreError) -> [RecordID: [ConsentEvent]] {
        try read { db in try Self.consentEvents(db, of: nil) }
    }

    /// The one query behind both consent readers, so a lead's events are the same whichever asks.
    private static func consentEvents(_ db: Database, of record: RecordID?) throws -> [RecordID: [ConsentEvent]] {
        let filter = record == nil ? "" : "WHERE target = ?"
        let rows = try Row.fetchAll(db, sql: """
            SELECT target, record, origin, hlc, channel, granted, how, double_opt_in, at FROM (
                SELECT lead.id AS target, lead.id AS record, actor.id AS origin, c.hlc, c.channel, c.granted, c.how,
                       c.double_opt_in, c.at
                FROM consent c JOIN lead ON lead.pk = c.lead JOIN actor ON actor.pk = c.actor
                UNION ALL
                SELECT lead.merge_root, lead.id, actor.id, c.hlc, c.channel, c.granted, c.how, c.double_opt_in, c.at
                FROM consent c JOIN lead ON lead.pk = c.lead JOIN actor ON actor.pk = c.actor
                WHERE lead.merge_root IS NOT NULL
            ) \(filter)
            ORDER BY target, coalesce(at, hlc >> 16), hlc, origin
            """, arguments: StatementArguments(record.map { [$0.rawValue] } ?? []))
        var result: [RecordID: [ConsentEvent]] = [:]
        for row in rows {
            guard let channel = ConsentChannel(rawValue: row["channel"]) else { continue }
            let event = ConsentEvent(
                record: try RecordID(validating: row["record"]), origin: try ActorID(validating: row["origin"]),
                hlc: HLC(packed: row["hlc"]),
                entry: ConsentEntry(
                    channel: channel, granted: row["granted"], how: row["how"], doubleOptIn: row["double_opt_in"],
                    at: row["at"]))
            result[try RecordID(validating: row["target"]), default: []].append(event)
        }
        return result
    }

    /// The duplicates merged into `record` (deleted ones included), each with the merge that
    /// decided it: `updatedAt` later than `mergedAt` means the duplicate was edited after (or
    /// concurrently with) its merge, an edit to review. Ordered by merge time.
    public func mergedDuplicates(of record: RecordID) throws(StoreError) -> [MergedDuplicate] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT lead.*, max(r.hlc) AS merged_hlc, actor.id AS merged_by
                FROM lead JOIN register r ON r.lead = lead.pk AND r.key = ? AND r.value = lead.merged_into
                JOIN actor ON actor.pk = r.actor
                WHERE lead.merge_root = ? AND lead.erased = 0
                GROUP BY lead.pk ORDER BY merged_hlc, lead.id
                """, arguments: [RegisterKey.mergedInto.rawValue, record.rawValue])
            return try rows.map { row in
                MergedDuplicate(
                    lead: try Self.lead(from: row), mergedAt: HLC(packed: row["merged_hlc"]),
                    mergedBy: try ActorID(validating: row["merged_by"]))
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
            // Columns by position and each actor validated once: the funnel reads every lead's history.
            var origins: [String: ActorID] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                guard let stage = LifecycleStage(rawValue: row[1]) else { continue }
                let originText: String = row[3]
                let origin = try origins[originText] ?? ActorID(validating: originText)
                origins[originText] = origin
                histories[try RecordID(validating: row[0]), default: []].append(
                    StageChange(stage: stage, hlc: HLC(packed: row[2]), origin: origin))
            }
            return histories
        }
    }

    /// A replicated setting's current value (e.g. `rules`), as the hub last wrote it.
    public func replicatedSetting(_ name: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = ?", arguments: [name]) }
    }
}
