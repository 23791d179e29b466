import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore
import Testing

/// Several `leadsync hub serve --database URL` processes over one PostgreSQL database, driven
/// like an operator would: `hub init`, `hub add-node`, `hub revoke-node`, `hub status` through
/// the CLI, replicas syncing to whichever process they pick.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PostgresMultiProcessTests {
    /// A revocation made while two processes serve is refused by the other process at the very
    /// next `hello` (well within one second), and `hub status` says so whichever process's data
    /// it reads, while the revoked node's earlier operations stay.
    @Test func revocationIsRefusedByEveryProcessWithinOneSecond() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresCLI.initialize(database)
            let token = try await hub.addNode("anna")
            let (a, b) = try await onDedicatedThread { (try hub.serve(), try hub.serve()) }
            defer {
                a.stop()
                b.stop()
            }
            let replica = try TestReplica(node: NodeID(validating: "anna"), token: token)
            try replica.addLeads(3)
            _ = try await sync(replica, port: a.port)
            _ = try await sync(replica, port: b.port)

            let revoked = try await PostgresCLI.run(["hub", "revoke-node", "anna", "--database", database.url])
            #expect(revoked.succeeded, "\(revoked.stderr)")
            let clock = ContinuousClock()
            let start = clock.now
            var refusedAt: Duration?
            while clock.now - start < .seconds(1) {
                do {
                    _ = try await sync(replica, port: b.port)
                } catch SyncError.refused(let error) where error.code == .revoked {
                    refusedAt = clock.now - start
                    break
                }
            }
            #expect(refusedAt != nil, "process B still served the revoked node after 1 s")
            do {
                _ = try await sync(replica, port: a.port)
                Issue.record("process A served a revoked node")
            } catch SyncError.refused(let error) {
                #expect(error.code == .revoked)
            }
            let status = try await hub.status()
            #expect(status.nodes.first?.revoked == true)
            #expect(status.operations == 3)
            let opened = try await PostgresHubStore.open(database.location)
            #expect(try await opened.status().nodes == status.nodes)
            await opened.close()
        }
    }

    /// One process's open session counts as connected in `hub status`; starting another process
    /// does not reset it, and once that session ends no process counts it.
    @Test func startingAProcessKeepsTheOthersConnections() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresCLI.initialize(database)
            let token = try await hub.addNode("anna")
            let a = try await onDedicatedThread { try hub.serve() }
            defer { a.stop() }
            let replica = try TestReplica(node: NodeID(validating: "anna"), token: token)
            let identity = try #require(try replica.store.identity())
            let hello = LineCodec.encode(.hello(Hello(
                node: identity.node, actor: identity.actor, token: token, clock: VectorClock(), wall: Store.systemMillis())))
            // A session that says hello and then stays quiet until the client's deadline closes it.
            let session = Task { try await RawLineClient.exchange(port: a.port, sending: [hello + "\n"], deadline: .seconds(8)) }
            try await waitFor("anna connected") { try await hub.status().nodes.first?.connected == true }
            let b = try await onDedicatedThread { try hub.serve() }
            defer { b.stop() }
            #expect(try await hub.status().nodes.first?.connected == true)
            let exchange = try await session.value
            #expect(exchange.lines.first?.contains("welcome") == true)
            try await waitFor("anna disconnected") { try await hub.status().nodes.first?.connected == false }
        }
    }

    /// `hub list-nodes` and `hub admin-token` against the database, seen by any process's store.
    @Test func listNodesAndAdminTokensThroughTheCLI() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresCLI.initialize(database)
            _ = try await hub.addNode("anna")
            let listed = try await PostgresCLI.run(["hub", "list-nodes", "--json", "--database", database.url])
            #expect(listed.succeeded && listed.stdout.contains(#""node" : "anna""#), "\(listed.stdout)\(listed.stderr)")
            let created = try await PostgresCLI.run(["hub", "admin-token", "create", "ops", "--database", database.url])
            #expect(created.succeeded, "\(created.stderr)")
            let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let store = try await PostgresHubStore.open(database.location)
            #expect(try await store.authenticateAdmin(token: token) == "ops")
            let revoked = try await PostgresCLI.run(["hub", "admin-token", "revoke", "ops", "--database", database.url])
            #expect(revoked.succeeded, "\(revoked.stderr)")
            #expect(try await store.authenticateAdmin(token: token) == nil)
            await store.close()
        }
    }

    /// `hub backup` and `hub restore` are for hub homes: with `--database` they refuse, naming
    /// pg_dump, and touch nothing.
    @Test func backupAndRestoreRefuseADatabase() async throws {
        try await withPostgresTestDatabase { database in
            _ = try await PostgresCLI.initialize(database)
            let directory = try TemporaryDirectory("pg-backup")
            let target = directory.appending("backup").path
            for command in [["hub", "backup", target], ["hub", "restore", target]] {
                let result = try await onDedicatedThread { try LeadSyncBinary.run(command + ["--database", database.url]) }
                #expect(!result.succeeded && result.stderr.contains("pg_dump"), "\(command): \(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: target))
        }
    }

    private func sync(_ replica: TestReplica, port: Int) async throws -> SyncSummary {
        try await SyncClient(
            store: replica.store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: port, token: replica.token, transport: .plaintext,
                connectTimeout: .seconds(5), idleTimeout: .seconds(30)),
            logger: .quiet
        ).sync()
    }
}

/// Polls `condition` every 20 ms for at most 10 s; fails loudly on timeout.
func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(10)
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting for: \(what)")
    throw CancellationError()
}

/// A PostgreSQL hub administered through the `leadsync` binary (``CLIHub`` with `--database`):
/// `hub init`, `hub add-node --plaintext`, `hub status --json`, `hub serve --plaintext`. Each
/// command blocks while the binary runs, so it runs on a dedicated thread, never on the
/// cooperative pool the tests' own hubs and clients share.
struct PostgresCLI: Sendable {
    let database: PostgresTestDatabase
    /// The hub's home: only a place for files, the data is in the database.
    private let home: TemporaryDirectory
    let hub: CLIHub

    private init(database: PostgresTestDatabase) throws {
        self.database = database
        home = try TemporaryDirectory("postgres-hub")
        hub = try CLIHub(home: home.path, location: .database(database.url))
    }

    /// Runs `hub init --database` on `database`.
    static func initialize(_ database: PostgresTestDatabase) async throws -> PostgresCLI {
        try await onDedicatedThread { try PostgresCLI(database: database) }
    }

    /// Runs the binary with `arguments` (the caller names the database).
    static func run(_ arguments: [String]) async throws -> CommandResult {
        try await onDedicatedThread { try LeadSyncBinary.run(arguments) }
    }

    func addNode(_ node: String) async throws -> String {
        try await onDedicatedThread { [hub] in try hub.addNode(node, ["--plaintext"]).token }
    }

    func status() async throws -> HubStatus {
        let result = try await Self.run(["hub", "status", "--json"] + hub.location.arguments)
        guard result.succeeded else { throw PostgresTestError("hub status" + " failed: " + result.stderr) }
        return try JSONDecoder().decode(HubStatus.self, from: Data(result.stdout.utf8))
    }

    /// A new `hub serve` process; blocks while it starts (call on a dedicated thread).
    func serve() throws -> HubProcess {
        try hub.serve(["--plaintext"])
    }
}
