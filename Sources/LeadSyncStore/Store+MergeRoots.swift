import GRDB
import LeadSyncCore
import LeadSyncReplication

extension Store {
    /// Writes `lead.merge_root`, the lead each merged duplicate is shown under, from the
    /// `merged_into` pointers as they stand (see ``MergeRoots``). Every query that hides or groups
    /// duplicates reads `merge_root`; `merged_into` keeps the replicated register's winner.
    ///
    /// Called once by a transaction that changed a pointer or erased a lead, before it commits: the
    /// answer depends on all pointers together, and merges are rare, so resolving them all again
    /// is simpler than tracking which ones a change reaches.
    static func updateMergeRoots(_ db: Database) throws {
        var pointers: [RecordID: RecordID] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT duplicate.id, duplicate.merged_into FROM lead AS duplicate
            JOIN lead AS target ON target.id = duplicate.merged_into AND target.erased = 0
            WHERE duplicate.merged_into IS NOT NULL
            """)
        while let row = try rows.next() {
            pointers[try RecordID(validating: row[0])] = try RecordID(validating: row[1])
        }
        // The query kept only pointers between leads that exist and are not erased.
        let roots = ReplicationRules.mergeRoots(pointers) { _ in true }
        var stored: [RecordID: RecordID] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, merge_root FROM lead WHERE merge_root IS NOT NULL") {
            stored[try RecordID(validating: row[0])] = try RecordID(validating: row[1])
        }
        let update = try db.cachedStatement(sql: "UPDATE lead SET merge_root = ? WHERE id = ?")
        for id in Set(roots.keys).union(stored.keys) where roots[id] != stored[id] {
            try update.execute(arguments: [roots[id]?.rawValue, id.rawValue])
        }
    }
}
