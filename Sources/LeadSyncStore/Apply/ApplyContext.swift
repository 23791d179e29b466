import Foundation
import GRDB
import LeadSyncCore
import LeadSyncReplication

/// An actor as the op log knows it: its row key, last applied seq and that op's full clock.
struct ActorState: Sendable {
    let pk: Int64
    let id: ActorID
    var seq: UInt64
    var clock: VectorClock
    var dirty = false
}

/// A lead row as the apply path needs it.
struct LeadRef: Equatable, Sendable {
    let pk: Int64
    var erased: Bool

    var presence: LeadPresence { erased ? .erased : .live }
}

/// What a transaction changed in a lead row and has not written yet: field winners and the
/// newest HLC of an operation on the lead (its `updated_hlc`).
struct PendingLeadRow {
    var fields: [LeadField: String?] = [:]
    var hlc = Int64.min
    /// The lead's field versions as of this batch, once loaded; written when `versionsChanged`.
    var versions: FieldVersions?
    var versionsChanged = false
}

/// The statements every operation runs, prepared once per transaction.
struct ApplyStatements {
    let findLead: DirectStatement
    let insertLead: DirectStatement
    let insertOp: DirectStatement
    let insertOps: DirectStatement
    let readRegister: DirectStatement
    let replaceRegister: DirectStatement
    let insertRegister: DirectStatement
    let deleteRegister: DirectStatement
    let deleteRegisterKey: DirectStatement
    let insertStageEvent: DirectStatement
    let readVersions: DirectStatement
    /// Whether a live lead has an e-mail, ignoring case: an import's duplicate check of every row.
    let findEmail: DirectStatement
    /// A lead's searched columns (``SearchText/columns``) and its notes, to make its `search_text`.
    let readSearched: DirectStatement

    /// Every column a create may fill, in a fixed order: one INSERT serves every field set.
    static let leadColumns = ["id", "stage", "tags", "created_hlc", "created_by", "updated_hlc", "custom", "search_text"]
        + LeadField.allCases.map(\.rawValue)

    /// Log rows written by one `insertOps`: a statement's fixed cost, paid once for many rows.
    static let opRowsPerInsert = 32

    init(_ db: Database) throws {
        findLead = try DirectStatement(db, "SELECT pk, erased FROM lead WHERE id = ?")
        let columns = Self.leadColumns
        insertLead = try DirectStatement(db, """
            INSERT INTO lead (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            """)
        insertOp = try DirectStatement(db, "INSERT INTO op (actor, seq, lead, body) VALUES (?, ?, ?, ?)")
        insertOps = try DirectStatement(db, """
            INSERT INTO op (actor, seq, lead, body) VALUES \(Array(repeating: "(?, ?, ?, ?)", count: Self.opRowsPerInsert).joined(separator: ", "))
            """)
        readRegister = try DirectStatement(db, "SELECT actor, seq, hlc, value FROM register WHERE lead = ? AND key = ?")
        replaceRegister = try DirectStatement(db, """
            UPDATE register SET actor = ?, seq = ?, hlc = ?, value = ? WHERE lead = ? AND key = ? AND actor = ? AND seq = ?
            """)
        insertRegister = try DirectStatement(db, "INSERT INTO register (lead, key, actor, seq, hlc, value) VALUES (?, ?, ?, ?, ?, ?)")
        deleteRegister = try DirectStatement(db, "DELETE FROM register WHERE lead = ? AND key = ? AND actor = ? AND seq = ?")
        deleteRegisterKey = try DirectStatement(db, "DELETE FROM register WHERE lead = ? AND key = ?")
        insertStageEvent = try DirectStatement(db, "INSERT INTO stage_event (lead, hlc, actor, seq, stage) VALUES (?, ?, ?, ?, ?)")
        readVersions = try DirectStatement(db, "SELECT versions FROM lead WHERE pk = ?")
        findEmail = try DirectStatement(db, "SELECT 1 FROM lead WHERE lower(email) = lower(?) AND deleted = 0 LIMIT 1")
        readSearched = try DirectStatement(db, """
            SELECT \(SearchFold.searchedColumns.joined(separator: ", ")),
                (SELECT group_concat(text, ' ') FROM activity WHERE activity.lead = ?1 AND type = 'note')
            FROM lead WHERE pk = ?1
            """)
    }
}

/// What one write transaction needs while applying operations: the actors (loaded once), the HLC,
/// the prepared statements and recently used leads. Lives only inside a `Store.write` closure;
/// what it learnt can outlive it as an ``ApplyMemory``.
struct ApplyContext {
    let db: Database
    let now: @Sendable () -> Int64
    let statements: ApplyStatements
    var actors: [ActorID: ActorState] = [:]
    var actorsByPK: [Int64: ActorID] = [:]
    var hlc: HLCGenerator
    let clockEncoder = JSONEncoder()
    /// Leads looked up or written (nil: known to be missing). Bounded, so a long import or a busy
    /// hub keeps flat memory.
    private var leads: [RecordID: LeadRef?] = [:]
    /// Field versions of leads as committed, or as this transaction wrote them: read from here
    /// instead of the lead row. Bounded like ``leads``.
    private var knownVersions: [Int64: FieldVersions] = [:]
    /// How many leads ``leads`` and ``knownVersions`` hold at most (about 600 bytes each).
    private let rememberedLeads: Int
    /// The bound of a transaction whose memory outlives it (``ApplyMemory``), some 80 MB at most:
    /// enough for a hub's 100,000 leads of a season (bench-sync's size M), whose group commits
    /// each touch most of them. At 16,384 the memory was emptied several times per group commit
    /// there, and every batch looked its leads up and read their versions again.
    static let rememberedLeadsAcrossTransactions = 131_072
    /// The bound of a local editing transaction, whose memory ends with it: an import only looks
    /// again at the lead it has just created (for its notes), and remembering all of a 100,000-row
    /// file's leads cost it 20 MiB of peak memory.
    static let rememberedLeadsWithinTransaction = 16_384
    /// Lead rows changed by this transaction's operations, written once per lead by
    /// ``flushLeadRows()`` instead of once per operation: a batch often edits a lead several times.
    private var pendingRows: [Int64: PendingLeadRow] = [:]
    /// Op log rows not yet inserted, four arguments each (actor, seq, lead, body); written by
    /// ``flushLoggedOps()`` in groups of ``ApplyStatements/opRowsPerInsert``.
    private var pendingOps: [SQLArgument] = []
    /// `UPDATE lead` statements by the set of fields they write (a bit per `LeadField`).
    private var rowUpdates: [UInt32: DirectStatement] = [:]
    /// Whether the store keeps `search_text` (its note triggers exist; a hub's has none), once known.
    private var searchTextKept: Bool?
    /// How many operations were applied (not skipped as duplicates) in this transaction.
    var applied = 0
    /// How many leads this transaction erased; the store then checkpoints the WAL.
    var erasures = 0
    /// Leads erased in this transaction whose logged operations ``flush()`` still has to redact.
    var erasedLeads: [Int64] = []
    /// Whether a lead's `merged_into` changed or a lead was erased: ``flush()`` then resolves
    /// where merged duplicates are shown again (`lead.merge_root`).
    var mergePointersChanged = false

    /// - Parameter memory: what an earlier transaction learnt, if it is still valid (see
    ///   ``ApplyMemoryCell/take(for:)``); without it, the actors are read from the database.
    /// - Parameter rememberedLeads: how many leads to remember at most (see
    ///   ``rememberedLeadsAcrossTransactions``).
    init(
        db: Database, now: @escaping @Sendable () -> Int64, memory: ApplyMemory? = nil,
        rememberedLeads: Int = ApplyContext.rememberedLeadsAcrossTransactions
    ) throws {
        self.db = db
        self.now = now
        self.rememberedLeads = rememberedLeads
        statements = try ApplyStatements(db)
        clockEncoder.outputFormatting = [.sortedKeys]
        let packed = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = 'hlc'")) ?? 0
        hlc = HLCGenerator(last: HLC(packed: packed))
        if let memory {
            actors = memory.actors
            actorsByPK = memory.actorsByPK
            leads = memory.leads
            knownVersions = memory.versions
            return
        }
        let decoder = JSONDecoder()
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT pk, id, seq, clock FROM actor")) {
            let id = try ActorID(validating: row["id"])
            let clock = try decoder.decode(VectorClock.self, from: Data((row["clock"] as String).utf8))
            actors[id] = ActorState(pk: row["pk"], id: id, seq: UInt64(row["seq"] as Int64), clock: clock)
            actorsByPK[row["pk"]] = id
        }
    }

    /// The replica's vector clock: every actor's last contiguous seq.
    var clock: VectorClock {
        VectorClock(actors.mapValues(\.seq))
    }

    mutating func actorState(_ id: ActorID) throws -> ActorState {
        if let state = actors[id] { return state }
        try db.execute(
            sql: "INSERT INTO actor (id, node, seq, clock) VALUES (?, ?, 0, '{}')",
            arguments: [id.rawValue, id.node.rawValue])
        let state = ActorState(pk: db.lastInsertedRowID, id: id, seq: 0, clock: VectorClock())
        actors[id] = state
        actorsByPK[state.pk] = id
        return state
    }

    func actorID(pk: Int64) throws -> ActorID {
        guard let id = actorsByPK[pk] else { throw StoreError.corrupt("register names unknown actor #\(pk)") }
        return id
    }

    /// The lead row of `record`, if there is one, as of this transaction.
    mutating func lead(_ record: RecordID) throws -> LeadRef? {
        if let cached = leads[record] { return cached }
        var found: LeadRef?
        try statements.findLead.forEachRow(.text(record.rawValue)) {
            found = LeadRef(pk: statements.findLead.int64(0), erased: statements.findLead.int64(1) != 0)
        }
        remember(record, found)
        return found
    }

    /// Whether lead writes keep `search_text`: a replica's store does (its note triggers are
    /// there), a hub's not.
    mutating func keepsSearchText() throws -> Bool {
        if let searchTextKept { return searchTextKept }
        let kept = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'activity_search_insert')
            """) ?? false
        searchTextKept = kept
        return kept
    }

    /// Whether this transaction has seen the lead's row already.
    func isKnownToExist(_ record: RecordID) -> Bool {
        leads[record].map { $0 != nil } ?? false
    }

    mutating func remember(_ record: RecordID, _ lead: LeadRef?) {
        if leads.count >= rememberedLeads { leads.removeAll(keepingCapacity: true) }
        leads[record] = .some(lead)
    }

    /// Notes a lead's field versions as this transaction leaves them (nil: forget them).
    mutating func rememberVersions(_ versions: FieldVersions?, of lead: Int64) {
        if versions != nil, knownVersions[lead] == nil, knownVersions.count >= rememberedLeads {
            knownVersions.removeAll(keepingCapacity: true)
        }
        knownVersions[lead] = versions
    }

    /// Notes that an operation with `hlc` changed the lead.
    mutating func stamp(lead: Int64, hlc: HLC) throws {
        if pendingRows[lead] == nil, pendingRows.count >= 4096 { try flushLeadRows() }
        pendingRows[lead, default: PendingLeadRow()].hlc = max(pendingRows[lead]?.hlc ?? .min, hlc.packed)
    }

    /// The standing version of one of the lead's fields (`lead.versions`) as this transaction left it.
    mutating func fieldSlot(_ field: FieldName, of lead: Int64) throws -> FieldVersions.Slot? {
        if let versions = pendingRows[lead]?.versions { return versions[field] }
        if pendingRows[lead] == nil, pendingRows.count >= 4096 { try flushLeadRows() }
        // Moved, not copied, into the pending row: it is updated in place there.
        let versions = try knownVersions.removeValue(forKey: lead) ?? readVersions(of: lead)
        pendingRows[lead, default: PendingLeadRow()].versions = versions
        return versions[field]
    }

    private func readVersions(of lead: Int64) throws -> FieldVersions {
        var text = "{}"
        try statements.readVersions.forEachRow(.int(lead)) { text = statements.readVersions.text(0) }
        guard let versions = FieldVersions(json: text) else {
            throw StoreError.corrupt("lead #\(lead) has unreadable field versions")
        }
        return versions
    }

    /// Replaces the standing version of one of the lead's fields, after ``fieldSlot(_:of:)`` loaded
    /// them; written by ``flushLeadRows()``. Updated in place: copying a lead's versions for every
    /// write showed in profiles.
    mutating func setFieldSlot(_ slot: FieldVersions.Slot, _ field: FieldName, of lead: Int64) {
        assert(pendingRows[lead]?.versions != nil, "fieldSlot(_:of:) loads the lead's versions first")
        pendingRows[lead]?.versions?[field] = slot
        pendingRows[lead]?.versionsChanged = true
    }

    /// Sets a standard field of a lead stamped in this transaction; written by ``flushLeadRows()``.
    mutating func setField(_ field: LeadField, of lead: Int64, to value: String?) {
        pendingRows[lead, default: PendingLeadRow()].fields[field] = .some(value)
    }

    /// A standard field's value as this transaction changed it and has not written yet: nil if
    /// unchanged, `.some(nil)` if cleared.
    func pendingField(_ field: LeadField, of lead: Int64) -> String?? {
        pendingRows[lead]?.fields[field]
    }

    /// Appends an operation's row to the op log; written by ``flushLoggedOps()``.
    mutating func log(actor: Int64, seq: UInt64, lead: Int64, body: String) throws {
        pendingOps.append(.int(actor))
        pendingOps.append(.int(Int64(seq)))
        pendingOps.append(.int(lead))
        pendingOps.append(.text(body))
        if pendingOps.count == 4 * ApplyStatements.opRowsPerInsert {
            try statements.insertOps.execute(pendingOps)
            pendingOps.removeAll(keepingCapacity: true)
        }
    }

    /// Inserts the op log rows ``log(actor:seq:lead:body:)`` holds.
    mutating func flushLoggedOps() throws {
        for row in stride(from: 0, to: pendingOps.count, by: 4) {
            try statements.insertOp.execute(Array(pendingOps[row..<row + 4]))
        }
        pendingOps.removeAll(keepingCapacity: true)
    }

    /// Writes the pending lead rows, with their `search_text` where the store keeps one and a
    /// searched field changed. Anything that reads lead rows inside the transaction calls it
    /// first (``LocalEditor``), and so does erasure, which overwrites them.
    mutating func flushLeadRows() throws {
        let keepsSearchText = try keepsSearchText()
        for (lead, row) in pendingRows {
            var mask: UInt32 = 0
            var arguments: [SQLArgument] = []
            for (bit, field) in LeadField.allCases.enumerated() {
                guard let value = row.fields[field] else { continue }
                mask |= 1 << bit
                arguments.append(.text(value))
            }
            if row.versionsChanged, let versions = row.versions {
                mask |= Self.versionsBit
                arguments.append(.text(versions.json))
            }
            if keepsSearchText, mask & Self.searchedFieldBits != 0 {
                mask |= Self.searchTextBit
                arguments.append(.text(try searchText(of: lead, fields: row.fields)))
            }
            if let versions = row.versions { rememberVersions(versions, of: lead) }
            guard mask != 0 || row.hlc != .min else { continue }
            arguments += [.int(row.hlc), .int(lead)]
            try rowUpdate(mask).execute(arguments)
        }
        pendingRows.removeAll(keepingCapacity: true)
    }

    /// The bits of a row update's mask for the `versions` and `search_text` columns (the fields
    /// take the bits below).
    private static let versionsBit: UInt32 = 1 << 31
    private static let searchTextBit: UInt32 = 1 << 30

    /// The mask bits of the fields `search_text` holds.
    private static let searchedFieldBits: UInt32 = LeadField.allCases.enumerated().reduce(0) { bits, field in
        SearchText.columns.contains(field.element) ? bits | 1 << field.offset : bits
    }

    /// The lead's `search_text` once the standard fields in `fields` and, if given, `custom` are
    /// written: its other searched columns and its notes as the row and `activity` hold them.
    /// Made here rather than by a trigger: a trigger wrote every edited row a second time, after
    /// thirteen `replace()` passes in SQL, which was half of a replica's pull.
    func searchText(of lead: Int64, fields: [LeadField: String?], custom: String? = nil) throws -> String {
        let read = statements.readSearched
        var searchText = ""
        try read.forEachRow(.int(lead)) {
            searchText = SearchText.make(
                column: { index, text in
                    if let field = SearchText.columns[index], let value = fields[field] {
                        if let value { text.append(contentsOf: value.utf8) }
                    } else if SearchText.columns[index] == nil, let custom {
                        text.append(contentsOf: custom.utf8)
                    } else {
                        read.appendText(Int32(index), to: &text)
                    }
                },
                notes: { text in read.appendText(Int32(SearchText.columns.count), to: &text) })
        }
        return searchText
    }

    /// Writes a lead's `custom` column (with its `search_text` where the store keeps one).
    mutating func writeCustom(_ custom: String, of lead: Int64) throws {
        guard try keepsSearchText() else {
            try db.cachedStatement(sql: "UPDATE lead SET custom = ? WHERE pk = ?").execute(arguments: [custom, lead])
            return
        }
        let searchText = try searchText(of: lead, fields: pendingRows[lead]?.fields ?? [:], custom: custom)
        try db.cachedStatement(sql: "UPDATE lead SET custom = ?, search_text = ? WHERE pk = ?").execute(arguments: [custom, searchText, lead])
    }

    private mutating func rowUpdate(_ mask: UInt32) throws -> DirectStatement {
        if let statement = rowUpdates[mask] { return statement }
        var assignments = LeadField.allCases.enumerated().filter { mask & 1 << $0.offset != 0 }.map { "\($0.element.rawValue) = ?" }
        if mask & Self.versionsBit != 0 { assignments.append("versions = ?") }
        if mask & Self.searchTextBit != 0 { assignments.append("search_text = ?") }
        let statement = try DirectStatement(db, """
            UPDATE lead SET \((assignments + ["updated_hlc = max(updated_hlc, ?)"]).joined(separator: ", ")) WHERE pk = ?
            """)
        rowUpdates[mask] = statement
        return statement
    }

    /// What a batch's savepoint restores when it rolls back: the bookkeeping. The caches are
    /// dropped instead; copying them for every batch cost more than refilling them after a failure.
    struct BatchStart {
        let actors: [ActorID: ActorState]
        let actorsByPK: [Int64: ActorID]
        let hlc: HLCGenerator
        let applied: Int
        let erasures: Int
        let erasedLeads: Int
    }

    /// Call before a batch's savepoint: writes what earlier batches left pending, so a rollback
    /// only has to forget this batch's.
    mutating func beginBatch() throws -> BatchStart {
        try flushLoggedOps()
        try flushLeadRows()
        return BatchStart(actors: actors, actorsByPK: actorsByPK, hlc: hlc, applied: applied, erasures: erasures, erasedLeads: erasedLeads.count)
    }

    /// Call after the batch's savepoint rolled back.
    mutating func rollBack(to start: BatchStart) {
        actors = start.actors
        actorsByPK = start.actorsByPK
        hlc = start.hlc
        applied = start.applied
        erasures = start.erasures
        erasedLeads.removeSubrange(start.erasedLeads...)
        leads.removeAll()
        knownVersions.removeAll()
        pendingRows.removeAll()
        pendingOps.removeAll()
    }

    /// Persists the lead rows, actors and HLC this transaction changed, and redacts the logged
    /// operations of the leads it erased.
    mutating func flush() throws {
        try flushLoggedOps()
        try flushLeadRows()
        try redactLoggedOps()
        if mergePointersChanged {
            try Store.updateMergeRoots(db)
            mergePointersChanged = false
        }
        for (id, state) in actors where state.dirty {
            let clock = String(decoding: try clockEncoder.encode(state.clock), as: UTF8.self)
            try db.cachedStatement(sql: "UPDATE actor SET seq = ?, clock = ? WHERE pk = ?")
                .execute(arguments: [Int64(state.seq), clock, state.pk])
            actors[id]?.dirty = false
        }
        try db.cachedStatement(
            sql: "INSERT INTO meta (key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ).execute(arguments: [String(hlc.last.packed)])
    }

    /// What this transaction learnt, for the next one; call after ``flush()``, the last write.
    func memory() throws -> ApplyMemory {
        ApplyMemory(actors: actors, actorsByPK: actorsByPK, leads: leads, versions: knownVersions, stamp: try ApplyMemory.Stamp(db))
    }
}
