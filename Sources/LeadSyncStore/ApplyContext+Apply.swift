import Foundation
import GRDB
import LeadSyncCore

/// The outcome of offering one operation to the store.
enum ApplyOutcome {
    case applied
    case duplicate
}

extension ApplyContext {
    /// Applies one operation, local or remote, in causal order: checks delivery, merges every
    /// register it writes, records activities, and appends it to the op log.
    mutating func apply(_ op: Op) throws -> ApplyOutcome {
        var actor = try actorState(op.origin)
        if op.seq <= actor.seq { return .duplicate }
        guard op.seq == actor.seq + 1 else {
            throw StoreError.seqGap(origin: op.origin.rawValue, expected: actor.seq + 1, got: op.seq)
        }
        for (dependency, needed) in op.deps.entries where dependency != op.origin {
            guard (actors[dependency]?.seq ?? 0) >= needed else {
                throw StoreError.missingDependency(
                    origin: op.origin.rawValue, seq: op.seq, needs: dependency.rawValue, needsSeq: needed)
            }
        }
        let clock = op.fullClock(previous: actor.clock)
        let kept = try merge(op, clock: clock, actorPK: actor.pk)
        // An op on an erased lead keeps its place in the log, but none of its content.
        let logged = kept ? op : op.redacted
        try db.cachedStatement(sql: "INSERT INTO op (actor, seq, record, hlc, action, body) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [actor.pk, Int64(op.seq), op.record.rawValue, op.hlc.packed, logged.change.action, logged.json])
        actor.seq = op.seq
        actor.clock = clock
        actor.dirty = true
        actors[op.origin] = actor
        hlc.observe(op.hlc, now: now())
        applied += 1
        return .applied
    }

    /// Merges an operation into the materialised state. Returns false when the operation's lead
    /// was erased: its effects are dropped and it is logged redacted.
    private mutating func merge(_ op: Op, clock: VectorClock, actorPK: Int64) throws -> Bool {
        if op.record == .settings {
            guard case .setting = op.change else {
                throw StoreError.invalidInput("operation \(op.origin)#\(op.seq): only settings may be written to the settings record")
            }
            // Replicated settings (the rules) are the hub's to write; every store enforces it.
            guard op.origin.node == .hub else {
                throw StoreError.invalidInput(
                    "operation \(op.origin)#\(op.seq): only the hub may write settings, not node '\(op.origin.node)'")
            }
            try mergeWrites(op, lead: Self.settingsLead, clock: clock, actorPK: actorPK)
            return true
        }
        if case .setting = op.change {
            throw StoreError.invalidInput("operation \(op.origin)#\(op.seq): settings may only be written to the settings record")
        }
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT pk, erased FROM lead WHERE id = ?"), arguments: [op.record.rawValue])
        guard let existing else {
            switch op.change {
            case .create(let fields, let stage, let tags):
                try insertLead(op, fields: fields, stage: stage, tags: tags, actorPK: actorPK)
                return true
            case .erase, .redacted:
                // A redacted op exists only because its lead was erased somewhere.
                try insertTombstone(op)
                return true
            default:
                throw StoreError.unknownRecord(origin: op.origin.rawValue, seq: op.seq, record: op.record.rawValue)
            }
        }
        let leadPK: Int64 = existing["pk"]
        if existing["erased"] { return op.change == .erase || op.change == .redacted }
        try db.cachedStatement(sql: "UPDATE lead SET updated_hlc = max(updated_hlc, ?) WHERE pk = ?")
            .execute(arguments: [op.hlc.packed, leadPK])
        try mergeWrites(op, lead: leadPK, clock: clock, actorPK: actorPK)
        try recordEvents(op, lead: leadPK, actorPK: actorPK)
        if op.change == .erase || op.change == .redacted { try erase(op.record, lead: leadPK) }
        return true
    }

    /// The lead key under which the settings record's registers are stored (no lead row has it).
    static let settingsLead: Int64 = 0

    private mutating func mergeWrites(_ op: Op, lead: Int64, clock: VectorClock, actorPK: Int64) throws {
        for write in op.change.writes {
            let version = Version(origin: op.origin, seq: op.seq, hlc: op.hlc, value: write.value)
            try mergeWrite(lead: lead, key: write.key, version: version, clock: clock, actorPK: actorPK)
        }
    }

    /// Append-only events: activities, consent and stage history.
    private func recordEvents(_ op: Op, lead: Int64, actorPK: Int64) throws {
        let stamp: [any DatabaseValueConvertible] = [lead, op.hlc.packed, actorPK, Int64(op.seq)]
        switch op.change {
        case .activity(let entry):
            try db.cachedStatement(sql: "INSERT INTO activity (lead, hlc, actor, seq, type, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: StatementArguments(stamp + [entry.type.rawValue, entry.text, entry.at]))
        case .consent(let entry):
            try db.cachedStatement(sql: """
                INSERT INTO consent (lead, hlc, actor, seq, channel, granted, how, double_opt_in, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments(
                    stamp + [entry.channel.rawValue, entry.granted, entry.how, entry.doubleOptIn, entry.at]))
        case .stage(let stage), .create(_, let stage, _):
            try db.cachedStatement(sql: "INSERT INTO stage_event (lead, hlc, actor, seq, stage) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: StatementArguments(stamp + [stage.rawValue]))
        default:
            break
        }
    }

    /// A lead's first operation: every register is empty, so each write is its winner.
    ///
    /// No register rows are written: every later operation on a lead causally follows its create
    /// (it was made by a replica that had the lead), so a later write always supersedes the create's
    /// version. A register with no rows therefore stands for "the create's value, if any", whose
    /// writer and time are the lead's `created_by` and `created_hlc`.
    private func insertLead(
        _ op: Op, fields: [FieldName: String], stage: LifecycleStage, tags: [String], actorPK: Int64
    ) throws {
        var columns = ["id", "stage", "tags", "created_hlc", "created_by", "updated_hlc"]
        let sortedTags = Array(Set(tags)).sorted()
        var values: [(any DatabaseValueConvertible)?] = [
            op.record.rawValue, stage.rawValue, JSONText.encode(sortedTags), op.hlc.packed, op.origin.rawValue, op.hlc.packed,
        ]
        // Columns in a fixed order, so the statement cache holds one statement per field set.
        for standard in LeadField.allCases {
            if let value = fields[.standard(standard)], !value.isEmpty {
                columns.append(standard.rawValue)
                values.append(value)
            }
        }
        var custom: [String: String] = [:]
        for case (.custom(let name), let value) in fields where !value.isEmpty {
            custom[name] = value
        }
        if !custom.isEmpty {
            columns.append("custom")
            values.append(JSONText.encode(custom))
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.cachedStatement(sql: "INSERT INTO lead (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
            .execute(arguments: StatementArguments(values))
        try recordEvents(op, lead: db.lastInsertedRowID, actorPK: actorPK)
    }

    private func mergeWrite(lead: Int64, key: RegisterKey, version: Version, clock: VectorClock, actorPK: Int64) throws {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT actor, seq, hlc, value FROM register WHERE lead = ? AND key = ?"),
            arguments: [lead, key.rawValue])
        var register = Register(versions: try rows.map { row in
            Version(
                origin: try actorID(pk: row["actor"]), seq: UInt64(row["seq"] as Int64),
                hlc: HLC(packed: row["hlc"]), value: row["value"])
        })
        let policy = key.policy
        let before = register.winner(policy)
        let hadConflict = !register.conflicts(policy).isEmpty
        let superseded = register.apply(version, clock: clock)
        if rows.count == 1, superseded.count == 1, let old = superseded.first, let oldActor = actors[old.origin] {
            // The common case, one write replacing another: rewrite the row in place.
            try db.cachedStatement(sql: """
                UPDATE register SET actor = ?, seq = ?, hlc = ?, value = ?
                WHERE lead = ? AND key = ? AND actor = ? AND seq = ?
                """).execute(arguments: [
                    actorPK, Int64(version.seq), version.hlc.packed, version.value, lead, key.rawValue, oldActor.pk, Int64(old.seq),
                ])
            if register.winner(policy)?.value != before?.value {
                try project(lead: lead, key: key, value: register.winner(policy)?.value)
            }
            return
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM register WHERE lead = ? AND key = ? AND actor = ? AND seq = ?")
        for old in superseded {
            guard let oldActor = actors[old.origin] else { throw StoreError.corrupt("unknown actor \(old.origin)") }
            try delete.execute(arguments: [lead, key.rawValue, oldActor.pk, Int64(old.seq)])
        }
        try db.cachedStatement(sql: "INSERT INTO register (lead, key, actor, seq, hlc, value) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [lead, key.rawValue, actorPK, Int64(version.seq), version.hlc.packed, version.value])
        let after = register.winner(policy)
        if after?.value != before?.value {
            try project(lead: lead, key: key, value: after?.value)
        }
        let hasConflict = !register.conflicts(policy).isEmpty
        if hasConflict && !hadConflict {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO conflict (lead, key) VALUES (?, ?)")
                .execute(arguments: [lead, key.rawValue])
        } else if hadConflict && !hasConflict {
            try db.cachedStatement(sql: "DELETE FROM conflict WHERE lead = ? AND key = ?")
                .execute(arguments: [lead, key.rawValue])
        }
    }

    /// Writes a register's new winning value into the materialised lead row.
    private func project(lead: Int64, key: RegisterKey, value: String?) throws {
        switch key {
        case .field(.standard(let field)):
            let text = value.flatMap { $0.isEmpty ? nil : $0 }
            try db.cachedStatement(sql: "UPDATE lead SET \(field.rawValue) = ? WHERE pk = ?").execute(arguments: [text, lead])
        case .field(.custom(let name)):
            var custom = try jsonColumn([String: String].self, "custom", lead: lead)
            custom[name] = value.flatMap { $0.isEmpty ? nil : $0 }
            try db.cachedStatement(sql: "UPDATE lead SET custom = ? WHERE pk = ?").execute(arguments: [JSONText.encode(custom), lead])
        case .stage:
            try db.cachedStatement(sql: "UPDATE lead SET stage = ? WHERE pk = ?").execute(arguments: [value ?? LifecycleStage.lead.rawValue, lead])
        case .tag(let tag):
            var tags = Set(try jsonColumn([String].self, "tags", lead: lead))
            if value == RegisterKey.present { tags.insert(tag) } else { tags.remove(tag) }
            try db.cachedStatement(sql: "UPDATE lead SET tags = ? WHERE pk = ?").execute(arguments: [JSONText.encode(tags.sorted()), lead])
        case .deleted:
            try db.cachedStatement(sql: "UPDATE lead SET deleted = ? WHERE pk = ?").execute(arguments: [value == RegisterKey.present, lead])
        case .mergedInto:
            try db.cachedStatement(sql: "UPDATE lead SET merged_into = ? WHERE pk = ?")
                .execute(arguments: [value.flatMap { $0.isEmpty ? nil : $0 }, lead])
        case .setting(let name):
            try db.cachedStatement(sql: "INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
                .execute(arguments: [name, value ?? ""])
        }
    }

    private func jsonColumn<T: Decodable>(_ type: T.Type, _ column: String, lead: Int64) throws -> T {
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT \(column) FROM lead WHERE pk = ?"), arguments: [lead]) ?? ""
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
