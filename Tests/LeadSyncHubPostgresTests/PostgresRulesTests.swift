import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// `hub rules set --database` writes the rules as the hub's own operation in PostgreSQL: a server
/// over the same database (another process, in effect) forwards it to replicas.
@Suite(.timeLimit(.minutes(3))) struct PostgresRulesTests {
    static let rules = """
        threshold warm 20
        threshold hot 50
        threshold mql 40
        points 10 company present
        route anna country is DE

        """

    @Test func rulesSetThroughTheCLIReachReplicas() async throws {
        try await withPostgresTestDatabase { database in
            try await withTestHub(transport: .plaintext, backend: .postgres(database)) { hub in
                let anna = try await hub.registerReplica("anna")
                try anna.addLeads(2)
                try await hub.sync(anna)
                let directory = try TemporaryDirectory("rules")
                let file = directory.appending("rules.txt").path
                try Self.rules.write(toFile: file, atomically: true, encoding: .utf8)

                let set = try await onDedicatedThread { try LeadSyncBinary.run(["hub", "rules", "set", file, "--database", database.url]) }
                #expect(set.succeeded && set.stdout.contains("1 points rule, 1 route"), "\(set.stdout)\(set.stderr)")
                let again = try await onDedicatedThread { try LeadSyncBinary.run(["hub", "rules", "set", file, "--database", database.url]) }
                #expect(again.succeeded && again.stdout.contains("nothing written"), "\(again.stdout)\(again.stderr)")
                let shown = try await onDedicatedThread { try LeadSyncBinary.run(["hub", "rules", "show", "--database", database.url]) }
                #expect(shown.stdout == Self.rules)

                try await hub.sync(anna)
                #expect(try anna.store.replicatedSetting("rules") == Self.rules)
                let ben = try await hub.registerReplica("ben")
                try await hub.sync(ben)
                #expect(try ben.store.replicatedSetting("rules") == Self.rules)
                #expect(try ben.store.clock() == (try await hub.hubStore.clock()))
            }
        }
    }
}
