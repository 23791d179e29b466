import Foundation
import GRDB
import LeadSyncCore
import LeadSyncReplication

extension ApplyContext {
    /// GDPR erasure of one lead: its personal data leaves the record, the register history, the
    /// conflicts, the events and the stored op payloads; a tombstone row stays so that operations
    /// for it arriving later are dropped. With `secure_delete` on, SQLite zeroes the freed bytes; the
    /// store checkpoints the WAL after the transaction (see `Store.finishErasure`).
    mutating func erase(_ record: RecordID, lead: Int64) throws {
        // Pending field writes first, so none lands after (and over) the erasure.
        try flushLeadRows()
        let personal = LeadField.allCases.map { "\($0.rawValue) = NULL" }.joined(separator: ", ")
        // Its notes go below, so its `search_text` is a blank row's.
        let searchText = try keepsSearchText() ? NewLeadRow.blankSearchText : ""
        try db.execute(
            sql: """
                UPDATE lead SET \(personal), custom = '{}', tags = '[]', versions = '{}', merged_into = NULL, deleted = 1, erased = 1,
                    search_text = ? WHERE pk = ?
                """,
            arguments: [searchText, lead])
        for table in ["register", "conflict", "activity", "consent", "stage_event"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE lead = ?", arguments: [lead])
        }
        erasedLeads.append(lead)
        remember(record, LeadRef(pk: lead, erased: true))
        rememberVersions(nil, of: lead)
        erasures += 1
        mergePointersChanged = true
    }

    /// A lead first heard of through its erasure (this replica only ever saw redacted ops for it).
    /// The log holds no operation of it yet: each logged op names a lead row that existed first.
    mutating func insertTombstone(_ op: Op) throws -> Int64 {
        let searchText = try keepsSearchText() ? NewLeadRow.blankSearchText : ""
        try db.execute(
            sql: """
                INSERT INTO lead (id, deleted, erased, created_hlc, created_by, updated_hlc, search_text) VALUES (?, 1, 1, ?, ?, ?, ?)
                """,
            arguments: [op.record.rawValue, op.hlc.packed, op.origin.rawValue, op.hlc.packed, searchText])
        let lead = db.lastInsertedRowID
        remember(op.record, LeadRef(pk: lead, erased: true))
        erasures += 1
        return lead
    }

    /// Rewrites every logged op of the leads erased in this transaction as a redacted placeholder
    /// (same id, deps and HLC). The log is not indexed by lead, so this reads it once for all of
    /// them, when the transaction ends: an erasure is rare, an index costs every operation.
    mutating func redactLoggedOps() throws {
        guard !erasedLeads.isEmpty else { return }
        let decoder = JSONDecoder()
        let leads = "[" + erasedLeads.map(String.init).joined(separator: ",") + "]"
        erasedLeads.removeAll()
        let rows = try Row.fetchAll(
            db, sql: "SELECT pos, body FROM op WHERE lead IN (SELECT value FROM json_each(?))", arguments: [leads])
        for row in rows {
            let op = try decoder.decode(Op.self, from: Data((row["body"] as String).utf8))
            // An erase carries no personal data, and the log keeps it as the record of the erasure.
            guard ReplicationRules.redactsOnErasure(op) else { continue }
            try db.execute(sql: "UPDATE op SET body = ? WHERE pos = ?", arguments: [op.redacted.json, row["pos"] as Int64])
        }
    }
}
