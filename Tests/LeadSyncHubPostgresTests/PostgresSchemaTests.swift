import Foundation
import LeadSyncCore
import LeadSyncHub
@testable import LeadSyncHubPostgres
import LeadSyncTestSupport
import PostgresNIO
import Testing

/// Migrations carry a hub's data forward on a real server: rows written as an earlier build wrote
/// them read the same after this build's migrations.
@Suite(.timeLimit(.minutes(2))) struct PostgresSchemaTests {
    /// Migration 3 folds the rows of one register each into one register set per record: every
    /// version, key (quotes included), conflict and setting survives.
    @Test func registerRowsBecomeOneSetPerRecord() async throws {
        try await withPostgresTestDatabase { database in
            let anna = try ActorID(validating: "anna~a1")
            let ben = try ActorID(validating: "ben~b1")
            let hub = try ActorID(validating: "hub~h1")
            let lead = try RecordID(validating: "6f1c0a52-3b1e-4c8e-9d55-0d2f4a7b9e01")
            let other = try RecordID(validating: "6f1c0a52-3b1e-4c8e-9d55-0d2f4a7b9e02")
            func version(_ actor: ActorID, _ seq: UInt64, _ value: String) -> Version {
                Version(origin: actor, seq: seq, hlc: HLC(wallMillis: 1_765_000_000_000 + Int64(seq), counter: 0), value: value)
            }
            let expected: [RecordID: [RegisterKey: [Version]]] = [
                lead: [
                    .field(try FieldName(validating: "email")): [version(anna, 2, "a@x.example"), version(ben, 3, "b@x.example")],
                    .tag("say \"vip\"\n"): [version(anna, 4, RegisterKey.present)],
                    .stage: [version(ben, 5, "qualified")],
                ],
                other: [.field(try FieldName(validating: "company")): [version(ben, 7, "Müller & Söhne")]],
                .settings: [.setting("scoring"): [version(hub, 1, "{\"rules\":[]}")]],
            ]
            let connection = try await PostgresHubDatabase.connect(database.location, maxConnections: 1)
            try await PostgresSchema.migrate(connection, through: 2)
            try await connection.executeUnsafe("INSERT INTO hub_meta (key, value) VALUES ('hub_id', 'hub-migrate')")
            for (record, registers) in expected {
                for (key, versions) in registers {
                    let text = String(decoding: try JSONEncoder().encode(versions), as: UTF8.self)
                    let conflict = versions.count > 1
                    _ = try await connection.execute(
                        "INSERT INTO register (record, key, versions, conflict) VALUES (\(record.rawValue), \(key.rawValue), \(text), \(conflict))")
                }
            }
            try await PostgresSchema.migrate(connection)
            await connection.close()

            let store = try await PostgresHubStore.open(database.location)
            let stored = try await store.database.connection { connection, logger in
                var rows: [String: String] = [:]
                for try await (record, registers) in try await connection.query(
                    "SELECT record, registers FROM register_set", logger: logger
                ).decode((String, String).self) {
                    rows[record] = registers
                }
                return rows
            }
            #expect(stored.count == expected.count)
            for (record, registers) in expected {
                let text = try #require(stored[record.rawValue])
                #expect(try RegisterVersionsText.decodeRegisters(text) == registers)
            }
            #expect(try await store.status().conflicts == 1)
            #expect(try await store.replicatedSetting("scoring") == "{\"rules\":[]}")
            await store.close()
        }
    }

    /// Migration 4 swaps the op log's record index and adds `append_op_log`: a log written
    /// before it is still found by record (what redacting an erased lead reads), and appends
    /// continue after its last position.
    @Test func anEarlierLogIsFoundByRecordAndAppendedTo() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresHubDatabase.connect(database.location, maxConnections: 1)
            try await PostgresSchema.migrate(hub, through: 3)
            try await hub.executeUnsafe(
                """
                INSERT INTO op (pos, actor, seq, record, body) VALUES
                    (1, 'anna~a1', 1, 'lead-1', '{"n":1}'), (2, 'anna~a1', 2, 'lead-2', '{"n":2}'), (3, 'ben~b1', 1, 'lead-1', '{"n":3}')
                """)
            try await PostgresSchema.migrate(hub)
            let found = try await hub.connection { connection, logger in
                _ = try await PostgresHubDatabase.execute(
                    """
                    SELECT append_op_log(\(["ben~b1", "ben~b1"])::text[], \([Int64(2), 3])::bigint[], \(["lead-2", "lead-1"])::text[],
                                         \(["{}", "{}"])::text[], \([String]())::text[], \([Int64]())::bigint[])
                    """,
                    on: connection, logger: logger)
                var rows: [[Int64]] = []
                for record in ["lead-1", "lead-2"] {
                    var positions: [Int64] = []
                    for try await pos in try await connection.query(
                        "SELECT pos FROM op WHERE record = ANY(\([record])::text[]) ORDER BY pos", logger: logger
                    ).decode(Int64.self) {
                        positions.append(pos)
                    }
                    rows.append(positions)
                }
                return rows
            }
            #expect(found == [[1, 3, 5], [2, 4]])
            await hub.close()
        }
    }
}
