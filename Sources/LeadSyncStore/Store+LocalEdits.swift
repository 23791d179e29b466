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
        return try editing { editor in
            try edits.map { try editor.commit($0.change, to: $0.record) }
        }
    }

    /// Runs `body` with a ``LocalEditor`` inside ONE write transaction, so a long stream of edits
    /// (an import of a large file) is committed all or none without being held in memory. When
    /// `body` throws, or `commit` is false (a dry run), nothing is written.
    public func editing<T>(commit: Bool = true, _ body: (inout LocalEditor) throws -> T) throws(StoreError) -> T {
        try editingWithDecision { (editor: inout LocalEditor) throws -> (T, commit: Bool) in (try body(&editor), commit) }
    }

    /// Like ``editing(commit:_:)``, but `body` decides at its end whether to commit: an import
    /// streams every row first and rolls back when one was invalid, still returning its report.
    public func editingWithDecision<T>(_ body: (inout LocalEditor) throws -> (T, commit: Bool)) throws(StoreError) -> T {
        let (result, erasures, committed) = try mapErrors {
            try writer.writeWithoutTransaction { db in
                var outcome: (T, Int, Bool)?
                try db.inTransaction {
                    guard let me = try Self.identity(db)?.actor else { throw StoreError.notInitialized(path: path) }
                    var editor = LocalEditor(
                        context: try ApplyContext(db: db, now: now, rememberedLeads: ApplyContext.rememberedLeadsWithinTransaction),
                        actor: me)
                    let (value, commit) = try body(&editor)
                    outcome = (value, editor.context.erasures, commit)
                    try editor.context.flush()
                    return commit ? .commit : .rollback
                }
                return outcome!
            }
        }
        if committed { try finishErasure(erasures) }
        return result
    }

    /// Validates the input of a new lead into its `create` change.
    public static func createChange(fields: [String: String], stage: LifecycleStage, tags: [String]) throws(StoreError) -> Change {
        do throws(LeadError) {
            let normalized = try LeadValidator.normalize(fields: fields).filter { !$0.value.isEmpty }
            let identifying: [LeadField] = [.firstName, .lastName, .email, .phone, .company]
            guard identifying.contains(where: { normalized[.standard($0)] != nil }) else { throw LeadError.emptyName }
            var validTags = Set<String>()
            for tag in tags { validTags.insert(try LeadValidator.tag(tag)) }
            return .create(fields: normalized, stage: stage, tags: validTags.sorted())
        } catch {
            throw error.storeError
        }
    }
}
