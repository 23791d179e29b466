import Foundation
import GRDB
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A replica made before `v2-op-lead` (the op log indexed by the record's text id) opens with
/// the new index filled in, and erasure still finds every logged operation of a lead through it.
@Suite struct SchemaMigrationTests {
    @Test func aVersionOneReplicaUpgradesAndStillErasesCompletely() throws {
        let directory = try TemporaryDirectory("migration")
        let path = directory.appending("replica.sqlite").path
        var generator = FastRandom()
        let kept = RecordID.random(using: &generator)
        let erased = RecordID.random(using: &generator)
        do {
            let store = try Store.open(path: path)
            _ = try store.initialize(node: NodeID(validating: "anna"))
            try store.commit(.create(fields: [.standard(.lastName): "Keller"], stage: .lead, tags: []), to: kept)
            try store.commit(
                .create(fields: [.standard(.lastName): "Geheim", .standard(.email): "geheim@example.de"], stage: .lead, tags: []),
                to: erased)
            try store.commit(.set([.standard(.phone): "+49 30 1234567"]), to: erased)
            try store.commit(.note("ruft zurück: geheim"), to: erased)
        }
        // Turn the file back into the version 1 schema: no `lead` column, the text index.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP INDEX op_lead;
                ALTER TABLE op DROP COLUMN lead;
                CREATE INDEX op_record ON op(record);
                DELETE FROM grdb_migrations WHERE identifier = 'v2-op-lead';
                """)
        }
        try queue.close()

        let store = try Store.open(path: path)
        let unmatched = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM op LEFT JOIN lead ON lead.pk = op.lead
                WHERE lead.id IS NOT op.record
                """)
        }
        #expect(unmatched == 0)
        _ = try store.erase(erased)
        let bodies = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT body FROM op")
        }
        #expect(bodies.count == 5)
        #expect(!bodies.contains { $0.contains("Geheim") || $0.contains("geheim") || $0.contains("1234567") })
        #expect(bodies.contains { $0.contains("Keller") })
        #expect(try store.lead(kept)?.fields["last_name"] == "Keller")
    }
}
