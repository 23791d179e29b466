import Foundation
import GRDB
import LeadSyncCore
import LeadSyncReplication

/// The outcome of offering one operation to the store.
enum ApplyOutcome {
    case applied
    case duplicate
}

extension ApplyContext {
    /// Applies one operation, local or remote, in causal order: checks delivery, merges every
    /// register it writes, records activities, and appends it to the op log. `body` is the op's
    /// `Op.json` if the caller has it already. `newLead`: the op is a local create, whose record
    /// must not exist yet; `row`: its lead row, if the caller made it already (it must be made of
    /// the op's change).
    mutating func apply(_ op: Op, body: String? = nil, newLead: Bool = false, row: NewLeadRow? = nil) throws -> ApplyOutcome {
        var actor = try actorState(op.origin)
        let delivery = try ReplicationRules.delivery(of: op, appliedSeq: actor.seq) { actors[$0]?.seq ?? 0 }
        guard delivery == .next else { return .duplicate }
        let clock = op.fullClock(previous: actor.clock)
        let (lead, kept) = try merge(op, clock: clock, actorPK: actor.pk, newLead: newLead, row: row)
        // An op on an erased lead keeps its place in the log, but none of its content.
        let logged = kept
            ? body ?? row?.encodedChange.map { op.json(encodedChange: $0) } ?? op.json
            : ReplicationRules.logged(op, kept: false).json
        try log(actor: actor.pk, seq: op.seq, lead: lead, body: logged)
        actor.seq = op.seq
        actor.clock = clock
        actor.dirty = true
        actors[op.origin] = actor
        hlc.observe(op.hlc, now: now())
        applied += 1
        return .applied
    }

    /// Merges an operation into the materialised state. Returns the lead's row key (the op log
    /// records it with each operation, for erasure) and whether the operation was kept: not when its lead was erased,
    /// then its effects are dropped and it is logged redacted.
    private mutating func merge(
        _ op: Op, clock: VectorClock, actorPK: Int64, newLead: Bool, row: NewLeadRow?
    ) throws -> (lead: Int64, kept: Bool) {
        // What the operation means is decided by `ReplicationRules` (see `Replicator`, which runs
        // the same rules over any `ReplicationState`); this stores it the SQLite way.
        if try ReplicationRules.target(of: op) == .settings {
            try mergeWrites(op, lead: Self.settingsLead, clock: clock, actorPK: actorPK)
            return (Self.settingsLead, true)
        }
        if case .create = op.change {
            // The id's unique index is the existence check: one probe instead of a lookup first.
            if !isKnownToExist(op.record), let row = try row ?? NewLeadRow(op.change, folding: keepsSearchText(), encoding: false), let pk = try insertLead(op, row: row, actorPK: actorPK) {
                return (pk, true)
            }
            if newLead { try ReplicationRules.createOfExisting(op, erased: try lead(op.record)?.erased == true, local: true) }
        }
        let existing = try lead(op.record)
        switch (try ReplicationRules.disposition(of: op, presence: existing?.presence), existing) {
        case (.tombstone, _):
            return (try insertTombstone(op), true)
        case (.dropped(let keptAsIs), let existing?):
            return (existing.pk, keptAsIs)
        case (.change(let erases), let existing?):
            if let target = ReplicationRules.mergeTarget(of: op), try lead(target) == nil {
                throw ReplicationRules.unknownMergeTarget(op, target)
            }
            try stamp(lead: existing.pk, hlc: op.hlc)
            try mergeWrites(op, lead: existing.pk, clock: clock, actorPK: actorPK)
            try recordEvents(op, lead: existing.pk, actorPK: actorPK)
            if erases { try erase(op.record, lead: existing.pk) }
            return (existing.pk, true)
        case (.dropped, nil), (.change, nil):
            preconditionFailure("the rules drop or change only leads that exist")
        }
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
            try statements.insertStageEvent.execute(.int(lead), .int(op.hlc.packed), .int(actorPK), .int(Int64(op.seq)), .text(stage.rawValue))
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
    /// Returns nil, changing nothing, if a lead with the op's record id exists already.
    ///
    /// The row's `search_text` is written with it where the store keeps one (no trigger since
    /// v9-search-text-on-insert): folded in Swift, possibly on another thread, instead of a second
    /// write of the row with thirteen `replace()` passes.
    private mutating func insertLead(_ op: Op, row: NewLeadRow, actorPK: Int64) throws -> Int64? {
        var values: [SQLArgument] = [
            .text(op.record.rawValue), .text(row.stage), .text(row.tags),
            .int(op.hlc.packed), .text(op.origin.rawValue), .int(op.hlc.packed), .text(row.custom),
            .text(try keepsSearchText() ? row.searchText : ""),
        ]
        values.reserveCapacity(values.count + row.values.count)
        for value in row.values { values.append(.text(value)) }
        do {
            try statements.insertLead.execute(values)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return nil
        }
        let pk = db.lastInsertedRowID
        remember(op.record, LeadRef(pk: pk, erased: false))
        rememberVersions(FieldVersions(), of: pk)
        try recordEvents(op, lead: pk, actorPK: actorPK)
        return pk
    }

    /// Merges one register write. A lead's field registers keep a single standing version in the
    /// lead row (``FieldVersions``) and use `register` rows only while they hold concurrent ones;
    /// the other registers (stage, tags, flags, settings) always use `register` rows.
    private mutating func mergeWrite(lead: Int64, key: RegisterKey, version: Version, clock: VectorClock, actorPK: Int64) throws {
        guard case .field(let field) = key, lead != Self.settingsLead else {
            return try mergeRegisterRows(lead: lead, key: key, version: version, clock: clock, actorPK: actorPK)
        }
        let slot = try fieldSlot(field, of: lead)
        switch slot {
        case nil:
            // Only the create's implicit version stands, and every later write follows the create.
            break
        case .single(let actor, let seq, _) where ReplicationRules.supersedes(clock, origin: try actorID(pk: actor), seq: seq):
            break
        case let slot?:
            return try mergeConcurrentField(field, slot: slot, lead: lead, key: key, version: version, clock: clock, actorPK: actorPK)
        }
        // The common edit: the write supersedes the one standing version, no conflict before or after.
        setFieldSlot(.single(actor: actorPK, seq: version.seq, hlc: version.hlc.packed), field, of: lead)
        try project(lead: lead, key: key, value: version.value)
    }

    /// A field write that is concurrent with the standing version, or meets several: the register's
    /// versions move to (or stay in) `register` rows, and conflicts are recorded.
    private mutating func mergeConcurrentField(
        _ field: FieldName, slot: FieldVersions.Slot, lead: Int64, key: RegisterKey, version: Version, clock: VectorClock,
        actorPK: Int64
    ) throws {
        let standing: [Version]
        switch slot {
        case .single(let actor, let seq, let hlc):
            let value = try standingValue(of: field, lead: lead)
            standing = [Version(origin: try actorID(pk: actor), seq: seq, hlc: HLC(packed: hlc), value: value)]
        case .several:
            standing = try registerRows(lead: lead, key: key)
        }
        let merge = ReplicationRules.merge(version, into: standing, clock: clock, key: key)
        let register = merge.after
        if register.versions.count == 1, let only = register.versions.first {
            setFieldSlot(.single(actor: try pk(of: only.origin), seq: only.seq, hlc: only.hlc.packed), field, of: lead)
            if slot == .several { try statements.deleteRegisterKey.execute(.int(lead), .text(key.rawValue)) }
        } else {
            let rows = slot == .several ? [version] : register.versions
            if slot == .several { try deleteRegisterRows(merge.superseded, lead: lead, key: key) }
            for row in rows { try insertRegisterRow(row, lead: lead, key: key) }
            setFieldSlot(.several, field, of: lead)
        }
        try settle(lead: lead, merge)
    }

    /// Merges a write into a register kept in `register` rows.
    private mutating func mergeRegisterRows(lead: Int64, key: RegisterKey, version: Version, clock: VectorClock, actorPK: Int64) throws {
        let standing = try registerRows(lead: lead, key: key)
        let merge = ReplicationRules.merge(version, into: standing, clock: clock, key: key)
        if standing.count == 1, merge.superseded.count == 1, let old = merge.superseded.first {
            // One write replacing another: rewrite the row in place.
            try statements.replaceRegister.execute(
                .int(actorPK), .int(Int64(version.seq)), .int(version.hlc.packed), .text(version.value),
                .int(lead), .text(key.rawValue), .int(try pk(of: old.origin)), .int(Int64(old.seq)))
        } else {
            try deleteRegisterRows(merge.superseded, lead: lead, key: key)
            try insertRegisterRow(version, lead: lead, key: key)
        }
        try settle(lead: lead, merge)
    }

    /// Projects a register's new winner into the lead row and opens or closes its conflict, as
    /// the rules decided.
    private mutating func settle(lead: Int64, _ merge: ReplicationRules.RegisterMerge) throws {
        if merge.winnerChanged {
            try project(lead: lead, key: merge.key, value: merge.winner?.value)
        }
        switch merge.conflict {
        case .opened:
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO conflict (lead, key) VALUES (?, ?)")
                .execute(arguments: [lead, merge.key.rawValue])
        case .closed:
            try db.cachedStatement(sql: "DELETE FROM conflict WHERE lead = ? AND key = ?")
                .execute(arguments: [lead, merge.key.rawValue])
        case .unchanged:
            break
        }
    }

    /// The value of a field's single standing version. It is the register's winner, so the lead
    /// row holds it, or this transaction's pending change of the row (empty: NULL).
    private func standingValue(of field: FieldName, lead: Int64) throws -> String {
        switch field {
        case .standard(let standard):
            if let pending = pendingField(standard, of: lead) { return pending ?? "" }
            return try String.fetchOne(
                db.cachedStatement(sql: "SELECT \(standard.rawValue) FROM lead WHERE pk = ?"), arguments: [lead]) ?? ""
        case .custom(let name):
            return try jsonColumn([String: String].self, "custom", lead: lead)[name] ?? ""
        }
    }

    private func registerRows(lead: Int64, key: RegisterKey) throws -> [Version] {
        var rows: [Version] = []
        let read = statements.readRegister
        try read.forEachRow(.int(lead), .text(key.rawValue)) {
            rows.append(Version(
                origin: try actorID(pk: read.int64(0)), seq: UInt64(read.int64(1)), hlc: HLC(packed: read.int64(2)),
                value: read.text(3)))
        }
        return rows
    }

    private func insertRegisterRow(_ version: Version, lead: Int64, key: RegisterKey) throws {
        try statements.insertRegister.execute(
            .int(lead), .text(key.rawValue), .int(try pk(of: version.origin)), .int(Int64(version.seq)),
            .int(version.hlc.packed), .text(version.value))
    }

    private func deleteRegisterRows(_ versions: [Version], lead: Int64, key: RegisterKey) throws {
        for old in versions {
            try statements.deleteRegister.execute(.int(lead), .text(key.rawValue), .int(try pk(of: old.origin)), .int(Int64(old.seq)))
        }
    }

    private func pk(of actor: ActorID) throws -> Int64 {
        guard let state = actors[actor] else { throw StoreError.corrupt("unknown actor \(actor)") }
        return state.pk
    }

    /// Writes a register's new winning value into the materialised lead row.
    private mutating func project(lead: Int64, key: RegisterKey, value: String?) throws {
        switch key {
        case .field(.standard(let field)):
            setField(field, of: lead, to: value.flatMap { $0.isEmpty ? nil : $0 })
        case .field(.custom(let name)):
            var custom = try jsonColumn([String: String].self, "custom", lead: lead)
            let projected = value.flatMap { $0.isEmpty ? nil : $0 }
            // A write that supersedes its field's version is projected without knowing the old
            // value; the row is only rewritten when the value changes.
            guard custom[name] != projected else { return }
            custom[name] = projected
            try writeCustom(JSONText.encode(custom), of: lead)
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
            mergePointersChanged = true
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
