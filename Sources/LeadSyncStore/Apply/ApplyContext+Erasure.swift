import Foundation
import GRDB
import LeadSyncCore

extension ApplyContext {
    /// GDPR erasure of one lead: its personal data leaves the record, the register history, the
    /// conflicts, the events and the stored op payloads; a tombstone row stays so that operations
    /// for it arriving later are dropped. With `secure_delete` on, SQLite zeroes the freed bytes; the
    /// store checkpoints the WAL after the transaction (see `Store.finishErasure`).
    mutating func erase(_ record: RecordID, lead: Int64) throws {
        // Pending field writes first, so none lands after (and over) the erasure.
        try flushLeadRows()
        let personal = LeadField.allCases.map { "\($0.rawValue) = NULL" }.joined(separator: ", ")
        try db.execute(
            sql: "UPDATE lead SET \(personal), custom = '{}', tags = '[]', versions = '{}', merged_into = NULL, deleted = 1, erased = 1 WHERE pk = ?",
            arguments: [lead])
        for table in ["register", "conflict", "activity", "consent", "stage_event"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE lead = ?", arguments: [lead])
        }
        try redactLoggedOps(of: lead)
        remember(record, LeadRef(pk: lead, erased: true))
        erasures += 1
    }

    /// A lead first heard of through its erasure (this replica only ever saw redacted ops for it).
    mutating func insertTombstone(_ op: Op) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO lead (id, deleted, erased, created_hlc, created_by, updated_hlc) VALUES (?, 1, 1, ?, ?, ?)",
            arguments: [op.record.rawValue, op.hlc.packed, op.origin.rawValue, op.hlc.packed])
        let lead = db.lastInsertedRowID
        remember(op.record, LeadRef(pk: lead, erased: true))
        try redactLoggedOps(of: lead)
        erasures += 1
        return lead
    }

    /// Rewrites every logged op of the record as a redacted placeholder: same id, deps and HLC.
    private func redactLoggedOps(of lead: Int64) throws {
        let decoder = JSONDecoder()
        let rows = try Row.fetchAll(db, sql: "SELECT pos, body FROM op WHERE lead = ?", arguments: [lead])
        for row in rows {
            let op = try decoder.decode(Op.self, from: Data((row["body"] as String).utf8))
            guard op.change != .redacted else { continue }
            try db.execute(sql: "UPDATE op SET body = ? WHERE pos = ?", arguments: [op.redacted.json, row["pos"] as Int64])
        }
    }
}
