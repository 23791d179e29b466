import GRDB
import LeadSyncCore

extension Store {
    /// Makes the operation for a local edit and applies it in the same transaction: either both the
    /// op log entry and the merged state are on disk, or neither is.
    @discardableResult
    public func commit(_ change: Change, to record: RecordID) throws(StoreError) -> Op {
        try commit([(change, record)])[0]
    }

    /// Commits many local edits in one transaction (imports, bulk capture): all or none. Later
    /// edits in the batch may change leads created earlier in it.
    @discardableResult
    public func commit(_ edits: [(change: Change, record: RecordID)]) throws(StoreError) -> [Op] {
        guard !edits.isEmpty else { return [] }
        return try write { db in
            guard let me = try Self.identity(db)?.actor else { throw StoreError.notInitialized(path: path) }
            var context = try ApplyContext(db: db, now: now)
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM lead WHERE id = ?")
            var ops: [Op] = []
            ops.reserveCapacity(edits.count)
            for (change, record) in edits {
                let found = try Bool.fetchOne(exists, arguments: [record.rawValue]) ?? false
                if case .create = change {
                    guard !found else { throw StoreError.invalidInput("lead \(record) already exists") }
                } else if !found {
                    throw StoreError.unknownLead(record.rawValue)
                }
                let previous = try context.actorState(me)
                var deps = context.clock.delta(from: previous.clock)
                deps[me] = 0
                let op = Op(
                    origin: me, seq: previous.seq + 1, deps: deps, hlc: context.hlc.tick(now: now()),
                    record: record, change: change)
                _ = try context.apply(op)
                ops.append(op)
            }
            try context.flush()
            return ops
        }
    }

    /// Validates the input of a new lead into its `create` change.
    public static func createChange(fields: [String: String], stage: LifecycleStage, tags: [String]) throws(StoreError) -> Change {
        do throws(LeadError) {
            let normalized = try LeadValidator.normalize(fields: fields).filter { !$0.value.isEmpty }
            let identifying: [LeadField] = [.firstName, .lastName, .email, .company]
            guard identifying.contains(where: { normalized[.standard($0)] != nil }) else { throw LeadError.emptyName }
            var validTags = Set<String>()
            for tag in tags { validTags.insert(try LeadValidator.tag(tag)) }
            return .create(fields: normalized, stage: stage, tags: validTags.sorted())
        } catch {
            throw error.storeError
        }
    }
}
