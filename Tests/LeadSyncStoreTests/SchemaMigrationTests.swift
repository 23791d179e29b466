import Foundation
import GRDB
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A replica made with an older schema opens migrated: `v2-op-lead` (the op log indexed by the
/// record's text id) gets the new index filled in, and erasure still finds every logged operation
/// of a lead through it; `v3-lead-versions` moves single field versions into the lead row;
/// `v4-lean-rows` drops the op log's unread columns and the values repeated in `lead.versions`;
/// `v5-op-unindexed-lead` drops the op log's index on `lead`; `v6-merge-roots` resolves where
/// merged duplicates are shown.
@Suite struct SchemaMigrationTests {
    /// Turns a file back into the `v5-op-unindexed-lead` schema: no `merge_root`.
    static let undoVersionSix = """
        DROP INDEX lead_merged_into;
        DROP INDEX lead_merge_root;
        ALTER TABLE lead DROP COLUMN merge_root;
        DELETE FROM grdb_migrations WHERE identifier = 'v6-merge-roots';
        """

    /// Turns a file back into the `v4-lean-rows` schema: the op log indexed by lead.
    static let undoVersionFive = """
        CREATE INDEX op_lead ON op(lead);
        DELETE FROM grdb_migrations WHERE identifier = 'v5-op-unindexed-lead';
        """

    /// Turns a file back into the `v3-lead-versions` schema: the op log's record, hlc and action
    /// columns (only record matters to the older migrations), and each single version's value,
    /// taken from the lead row, in `lead.versions`.
    static let undoVersionFour: String = {
        let columns = LeadField.allCases.map { "WHEN '\($0.rawValue)' THEN lead.\($0.rawValue)" }.joined(separator: " ")
        return """
            ALTER TABLE op ADD COLUMN record TEXT NOT NULL DEFAULT '';
            ALTER TABLE op ADD COLUMN hlc INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE op ADD COLUMN action TEXT NOT NULL DEFAULT '';
            UPDATE op SET record = body ->> '$.record', hlc = body ->> '$.hlc[0]', action = body ->> '$.action';
            UPDATE lead SET versions = (
                SELECT json_group_object(
                    field.key,
                    CASE WHEN field.type = 'array' THEN json_array(
                        field.value ->> 0, field.value ->> 1, field.value ->> 2,
                        coalesce(CASE field.key \(columns) ELSE lead.custom ->> ('$."' || field.key || '"') END, ''))
                    ELSE 0 END)
                FROM json_each(lead.versions) AS field)
            WHERE versions != '{}';
            DELETE FROM grdb_migrations WHERE identifier = 'v4-lean-rows';
            """
    }()

    /// Turns a `v3-lead-versions` file back into the `v2-op-lead` schema: field versions as
    /// `register` rows.
    static let undoVersionThree = """
        INSERT INTO register (lead, key, actor, seq, hlc, value)
            SELECT lead.pk, 'f:' || field.key, field.value ->> 0, field.value ->> 1, field.value ->> 2, field.value ->> 3
            FROM lead, json_each(lead.versions) AS field WHERE field.type = 'array';
        ALTER TABLE lead DROP COLUMN versions;
        DELETE FROM grdb_migrations WHERE identifier = 'v3-lead-versions';
        """

    /// A replica file of node anna in a directory of its own, removed when `directory` goes.
    static func annasReplica(_ name: String) throws -> (directory: TemporaryDirectory, path: String, store: Store) {
        let directory = try TemporaryDirectory(name)
        let path = directory.appending("replica.sqlite").path
        let store = try Store.open(path: path)
        _ = try store.initialize(node: NodeID(validating: "anna"))
        return (directory, path, store)
    }

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
            try db.execute(sql: Self.undoVersionSix)
            try db.execute(sql: Self.undoVersionFive)
            try db.execute(sql: Self.undoVersionFour)
            try db.execute(sql: Self.undoVersionThree)
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
                WHERE lead.id IS NOT op.body ->> '$.record'
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

    /// Field registers of every shape (one version, concurrent versions in conflict, a conflict
    /// resolved again) survive the move from `register` rows into `lead.versions` unchanged.
    @Test func fieldVersionsMoveIntoTheLeadRow() throws {
        let (directory, path, anna) = try Self.annasReplica("migration-v3")
        defer { withExtendedLifetime(directory) {} }
        var generator = SeededGenerator(seed: 7)
        let ben = try Store.inMemory()
        _ = try ben.initialize(node: NodeID(validating: "ben"))
        let lead = RecordID.random(using: &generator)
        try anna.commit(.create(fields: [.standard(.lastName): "Keller", .standard(.city): "Berlin"], stage: .lead, tags: []), to: lead)
        _ = try ben.apply(try anna.operations(missingFrom: ben.clock()))
        // Concurrent writes of the city (a conflict) and of the company (resolved by a later write).
        try anna.commit(.set([.standard(.city): "Hamburg", .standard(.company): "Acme"]), to: lead)
        try ben.commit(.set([.standard(.city): "München", .standard(.company): "Globex"]), to: lead)
        _ = try anna.apply(try ben.operations(missingFrom: anna.clock()))
        try anna.commit(.set([.standard(.company): "Acme AG", .standard(.phone): "+49 30 1234567"]), to: lead)
        let leadsBefore = try anna.leads(LeadFilter())
        let conflictsBefore = try anna.conflicts()
        #expect(conflictsBefore.count == 1)

        let versions = "SELECT versions FROM lead"
        let before = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: versions) }
        #expect(before.contains { $0 != "{}" })
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: Self.undoVersionSix)
            try db.execute(sql: Self.undoVersionFive)
            try db.execute(sql: Self.undoVersionFour)
            try db.execute(sql: Self.undoVersionThree)
        }
        try queue.close()

        let reopened = try Store.open(path: path)
        #expect(try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: versions) } == before)
        #expect(try reopened.leads(LeadFilter()) == leadsBefore)
        #expect(try reopened.conflicts() == conflictsBefore)
        // The merged state keeps working: a later write resolves the city conflict.
        try reopened.commit(.set([.standard(.city): "Köln"]), to: lead)
        #expect(try reopened.conflicts().isEmpty)
        #expect(try reopened.lead(lead)?.fields["city"] == "Köln")
    }

    /// A lead row whose `versions` column was damaged outside the store stops an edit of that
    /// lead with an error naming the row, and the edit leaves nothing behind.
    @Test func unreadableFieldVersionsAreReportedNotGuessed() throws {
        let (directory, path, store) = try Self.annasReplica("damaged-versions")
        defer { withExtendedLifetime(directory) {} }
        var generator = SeededGenerator(seed: 11)
        let lead = RecordID.random(using: &generator)
        try store.commit(.create(fields: [.standard(.lastName): "Keller"], stage: .lead, tags: []), to: lead)
        try store.commit(.set([.standard(.city): "Berlin"]), to: lead)
        let operations = try store.counts().operations
        try DatabaseQueue(path: path).write { try $0.execute(sql: #"UPDATE lead SET versions = '{"city":[1,2'"#) }

        #expect {
            try store.commit(.set([.standard(.city): "Köln"]), to: lead)
        } throws: { error in
            guard case StoreError.corrupt(let message) = error else { return false }
            return message.contains("unreadable field versions")
        }
        #expect(try store.counts().operations == operations)
        #expect(try store.lead(lead)?.fields["city"] == "Berlin")
    }

    /// A version 5 replica where two leads were merged into each other (both hidden then) opens
    /// with the smaller id standing and the other shown under it.
    @Test func leadsMergedIntoEachOtherReappearAfterTheUpgrade() throws {
        let (directory, path, store) = try Self.annasReplica("migration-v6")
        defer { withExtendedLifetime(directory) {} }
        let keller = try store.add(fields: ["last_name": "Keller"])
        let kehler = try store.add(fields: ["last_name": "Kehler"])
        try store.commit([(.merge(into: kehler), keller), (.merge(into: keller), kehler)])
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: Self.undoVersionSix) }
        try queue.close()

        let reopened = try Store.open(path: path)
        let (standing, shownUnder) = (min(keller, kehler), max(keller, kehler))
        #expect(try reopened.leads(LeadFilter()).map(\.id) == [standing])
        #expect(try reopened.lead(shownUnder)?.mergedInto == standing)
    }
}
