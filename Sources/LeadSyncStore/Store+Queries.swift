import Foundation
import GRDB
import LeadSyncCore

extension Store {
    /// Finds the lead a user means by a full id or a unique prefix, like git does for commits.
    public func resolve(_ prefix: String) throws(StoreError) -> RecordID {
        let needle = prefix.lowercased()
        guard !needle.isEmpty, needle.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { throw .unknownLead(prefix) }
        let matches = try read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM lead WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                arguments: [needle, needle + "~"])
        }
        switch matches.count {
        case 0: throw .unknownLead(prefix)
        case 1: return try mapErrors { try RecordID(validating: matches[0]) }
        default: throw .ambiguousPrefix(prefix, candidates: matches.prefix(5).map { String($0.prefix(12)) })
        }
    }

    public func lead(_ id: RecordID) throws(StoreError) -> Lead? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM lead WHERE id = ?", arguments: [id.rawValue]).map(Self.lead(from:))
        }
    }

    /// Live leads (not deleted, merged or erased) whose e-mail is `email` ignoring case, oldest
    /// first: what `add` warns about.
    public func leads(withEmail email: String) throws(StoreError) -> [Lead] {
        try read { db in
            try Self.fetchLeads(
                db, sql: """
                    SELECT * FROM lead WHERE lower(email) = lower(?) AND deleted = 0 AND erased = 0
                    AND merge_root IS NULL ORDER BY created_hlc
                    """, arguments: [email])
        }
    }

    public func leads(_ filter: LeadFilter = LeadFilter()) throws(StoreError) -> [Lead] {
        let query = Self.selection(filter)
        return try read { db in try Self.fetchLeads(db, sql: query.sql, arguments: query.arguments) }
    }

    /// Streams the leads `filter` selects, each with its notes (activities of type note, oldest first), inside ONE read
    /// transaction: a consistent snapshot without holding every lead in memory (exports).
    public func forEachLead(_ filter: LeadFilter, _ body: (Lead, [Activity]) throws -> Void) throws(StoreError) {
        let query = Self.selection(filter, columns: "*, pk AS lead_pk")
        try read { db in
            let notes = try db.cachedStatement(sql: """
                SELECT actor.id AS origin, activity.seq, activity.hlc, activity.type, activity.text, activity.at
                FROM activity JOIN actor ON actor.pk = activity.actor
                WHERE activity.lead = ? AND activity.type = 'note' ORDER BY activity.hlc, actor.id, activity.seq
                """)
            let rows = try Row.fetchCursor(db, sql: query.sql, arguments: query.arguments)
            let decoder = JSONDecoder()
            var columns: LeadColumns?
            while let row = try rows.next() {
                let layout = try columns ?? LeadColumns(row)
                columns = layout
                let lead = try layout.lead(from: row, decoder: decoder)
                let activities = try Row.fetchAll(notes, arguments: [row["lead_pk"] as Int64]).map { note in
                    Activity(
                        record: lead.id, origin: try ActorID(validating: note["origin"]), seq: UInt64(note["seq"] as Int64),
                        hlc: HLC(packed: note["hlc"]), type: note["type"], text: note["text"], at: note["at"])
                }
                try body(lead, activities)
            }
        }
    }

    /// The custom (`x_`) field names used by the leads `filter` selects, sorted: the extra
    /// columns a CSV export needs, known before the first row is written.
    public func customFieldNames(_ filter: LeadFilter) throws(StoreError) -> [String] {
        let query = Self.selection(filter)
        let sql = "SELECT DISTINCT field.key FROM (\(query.sql)) AS selected, json_each(selected.custom) AS field ORDER BY field.key"
        return try read { db in try String.fetchAll(db, sql: sql, arguments: query.arguments) }
    }

    /// The SQL selecting the leads of `filter`, in its order and limit.
    static func selection(_ filter: LeadFilter, columns: String = "*") -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func equal(_ column: String, _ value: String?) {
            guard let value else { return }
            clauses.append("\(column) = ?")
            arguments.append(value)
        }
        equal("stage", filter.stage?.rawValue)
        equal("kind", filter.kind?.rawValue)
        equal("source", filter.source?.rawValue)
        equal("owner", filter.owner)
        if let country = filter.country {
            clauses.append("country = ? COLLATE NOCASE")
            arguments.append(country)
        }
        if let event = filter.event {
            clauses.append("event = ? COLLATE NOCASE")
            arguments.append(event)
        }
        if let tag = filter.tag {
            clauses.append("EXISTS (SELECT 1 FROM json_each(lead.tags) WHERE json_each.value = ?)")
            arguments.append(tag)
        }
        if let text = filter.text, !text.isEmpty {
            // The lead's folded fields and notes (`search_text`, v7-search-fold) against the
            // folded query: case, umlauts and their spellings ignored (SearchFold).
            clauses.append("search_text LIKE ? ESCAPE '\\'")
            let escaped = SearchFold.fold(text).replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            arguments.append("%\(escaped)%")
        }
        if !filter.includeMerged { clauses.append("merge_root IS NULL") }
        clauses.append("erased = 0")
        if filter.onlyDeleted {
            clauses.append("deleted = 1")
        } else if !filter.includeDeleted {
            clauses.append("deleted = 0")
        }
        let order: String
        switch filter.sort {
        case .created: order = "created_hlc"
        case .updated: order = "updated_hlc"
        case .name: order = "last_name COLLATE NOCASE, first_name COLLATE NOCASE"
        case .company: order = "company COLLATE NOCASE"
        case .stage:
            let ranks = LifecycleStage.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.rank)" }.joined(separator: " ")
            order = "CASE stage \(ranks) END"
        }
        let direction = filter.descending ? "DESC" : "ASC"
        var sql = "SELECT \(columns) FROM lead"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        // The id breaks ties in the same direction, so a descending list by capture order walks
        // `lead_created` backwards instead of sorting every lead.
        sql += " ORDER BY \(order.split(separator: ",").map { "\($0) \(direction)" }.joined(separator: ",")), id \(direction)"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        return (sql, StatementArguments(arguments))
    }

    /// Every contact field that holds concurrent writes with different values.
    public func conflicts(for record: RecordID? = nil) throws(StoreError) -> [Conflict] {
        try read { db in
            var sql = """
                SELECT lead.id, register.key, actor.id AS origin, register.seq, register.hlc, register.value
                FROM conflict JOIN lead ON lead.pk = conflict.lead
                JOIN register ON register.lead = conflict.lead AND register.key = conflict.key
                JOIN actor ON actor.pk = register.actor
                """
            var arguments: StatementArguments = []
            if let record {
                sql += " WHERE lead.id = ?"
                arguments = [record.rawValue]
            }
            var registers: [String: (record: RecordID, key: RegisterKey, versions: [Version])] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let record = try RecordID(validating: row["id"])
                guard let key = RegisterKey(rawValue: row["key"]) else { continue }
                let version = Version(
                    origin: try ActorID(validating: row["origin"]), seq: UInt64(row["seq"] as Int64),
                    hlc: HLC(packed: row["hlc"]), value: row["value"])
                registers["\(record.rawValue) \(key.rawValue)", default: (record, key, [])].versions.append(version)
            }
            return registers.values.flatMap { entry -> [Conflict] in
                let register = Register(versions: entry.versions)
                guard case .field(let field) = entry.key, let winner = register.winner(entry.key.policy) else { return [] }
                return register.conflicts(entry.key.policy).map {
                    Conflict(record: entry.record, field: field.rawValue, winner: winner, loser: $0)
                }
            }
            .sorted { ($0.record, $0.field, $0.loser.origin, $0.loser.seq) < ($1.record, $1.field, $1.loser.origin, $1.loser.seq) }
        }
    }

    /// Counts shown by `status`.
    public func counts() throws(StoreError) -> (leads: Int, deleted: Int, operations: Int, conflicts: Int) {
        try read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM lead WHERE deleted = 0") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM lead WHERE deleted = 1") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM op") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM conflict") ?? 0
            )
        }
    }
}
