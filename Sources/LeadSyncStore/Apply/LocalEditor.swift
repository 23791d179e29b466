import GRDB
import LeadSyncCore

/// Makes and applies local operations inside a transaction opened by ``Store/editing(commit:_:)``.
public struct LocalEditor {
    var context: ApplyContext
    private(set) var actor: ActorID

    /// Makes the next operation of this replica for `change` and applies it.
    @discardableResult
    public mutating func commit(_ change: Change, to record: RecordID) throws -> Op {
        try commit(change, to: record, row: nil)
    }

    private mutating func commit(_ change: Change, to record: RecordID, row: NewLeadRow?) throws -> Op {
        let isCreate = if case .create = change { true } else { false }
        // A create's record is checked by the lead INSERT itself (see ApplyContext.apply).
        if !isCreate {
            let state = try record == .settings ? .live : self.state(of: record)
            if state == .erased, change != .erase { throw StoreError.erased(record) }
            if state == .missing { throw StoreError.unknownLead(record.rawValue) }
        }
        let previous = try context.actorState(actor)
        var deps = context.clock.delta(from: previous.clock)
        deps[actor] = 0
        let op = Op(
            origin: actor, seq: previous.seq + 1, deps: deps, hlc: context.hlc.tick(now: context.now()),
            record: record, change: change)
        _ = try context.apply(op, newLead: isCreate, row: row)
        return op
    }

    /// Creates the lead `record` from `row`, made before (an import makes it on its reading
    /// thread): the same as committing `row.change`, with less work inside the transaction.
    @discardableResult
    public mutating func create(_ row: NewLeadRow, to record: RecordID) throws -> Op {
        try commit(row.change, to: record, row: row)
    }

    /// Makes this transaction's further edits, and the store's from now on, under a new actor of
    /// the same node. A hub renews before each operation of its own (`hub rules set`): restored
    /// from an older backup, its old actor would give a new operation a number its replicas
    /// already hold for another one, and they would skip it as a duplicate.
    public mutating func renewActor() throws {
        var generator = SystemRandomNumberGenerator()
        let renewed = ActorID.random(for: actor.node, using: &generator)
        try context.db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'actor'", arguments: [renewed.rawValue])
        _ = try context.actorState(renewed)
        actor = renewed
    }

    enum RecordState { case missing, live, erased }

    mutating func state(of record: RecordID) throws -> RecordState {
        try context.lead(record).map { $0.erased ? .erased : .live } ?? .missing
    }

    /// Whether the lead exists, counting edits made earlier in this transaction.
    public mutating func exists(_ record: RecordID) throws -> Bool {
        try state(of: record) != .missing
    }

    /// The lead as it stands in this transaction.
    public mutating func lead(_ record: RecordID) throws -> Lead? {
        try context.flushLeadRows()
        return try Row.fetchOne(context.db.cachedStatement(sql: "SELECT * FROM lead WHERE id = ?"), arguments: [record.rawValue])
            .map(Store.lead(from:))
    }

    /// Live leads whose e-mail matches `email` ignoring case: the duplicate check of imports.
    public mutating func leads(withEmail email: String) throws -> [Lead] {
        // Most imported rows are new: a bare index probe answers them without building rows.
        var found = false
        try context.statements.findEmail.forEachRow(.text(email)) { found = true }
        guard found else { return [] }
        try context.flushLeadRows()
        return try Row.fetchAll(
            context.db.cachedStatement(sql: "SELECT * FROM lead WHERE lower(email) = lower(?) AND deleted = 0 ORDER BY created_hlc"),
            arguments: [email]
        ).map(Store.lead(from:))
    }

    /// The texts of the lead's notes as they stand in this transaction, oldest first, so an
    /// import that updates a lead can skip notes it already has.
    public func notes(_ record: RecordID) throws -> [String] {
        try String.fetchAll(
            context.db.cachedStatement(sql: """
                SELECT activity.text FROM activity JOIN lead ON lead.pk = activity.lead
                WHERE lead.id = ? AND activity.type = 'note' ORDER BY activity.hlc
                """),
            arguments: [record.rawValue])
    }
}
