import Foundation
import LeadSyncCore
import LeadSyncHub
@testable import LeadSyncHubPostgres
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncReplication
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore
import PostgresNIO
import Testing

/// The PostgreSQL hub store on a real server: two stores over one database play two hub processes.
@Suite(.timeLimit(.minutes(2))) struct PostgresHubStoreTests {
    @Test func initialisesOnceAndRegistersNodes() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresHubStore.initialize(database.location)
            defer { Task { await hub.close() } }
            let id = try await hub.hubID()
            #expect(id.hasPrefix("hub-"))
            await #expect(throws: PostgresHubError.alreadyInitialized(database: database.url, hub: id)) {
                _ = try await PostgresHubStore.initialize(database.location)
            }
            let other = try await PostgresHubStore.open(database.location)
            #expect(try await other.hubID() == id)
            let token = try await hub.addNode(NodeID(validating: "anna"))
            #expect(try await other.authenticate(node: NodeID(validating: "anna"), token: token) == .accepted)
            #expect(try await other.authenticate(node: NodeID(validating: "anna"), token: token + "x") == .wrongToken)
            #expect(try await other.authenticate(node: NodeID(validating: "ben"), token: token) == .unknownNode)
            await #expect(throws: RegistryError.nodeExists("anna")) { _ = try await other.addNode(NodeID(validating: "anna")) }
            await #expect(throws: RegistryError.reservedNode("hub")) { _ = try await other.addNode(.hub) }
            try await other.revokeNode(NodeID(validating: "anna"))
            #expect(try await hub.authenticate(node: NodeID(validating: "anna"), token: token) == .revoked)
            let reissued = try await hub.addNode(NodeID(validating: "anna"), reissue: true)
            #expect(try await other.authenticate(node: NodeID(validating: "anna"), token: reissued) == .accepted)
            #expect(try await other.authenticate(node: NodeID(validating: "anna"), token: token) == .wrongToken)
            await other.close()
        }
    }

    @Test func aNewDatabaseIsNotAHub() async throws {
        try await withPostgresTestDatabase { database in
            await #expect(throws: PostgresHubError.notAHub(database: database.url)) {
                _ = try await PostgresHubStore.open(database.location)
            }
        }
    }

    /// The same batch pushed through two processes at once, several times: each (origin, seq) is
    /// stored once, and every push's result covers the batch (its `ack` means committed).
    @Test func concurrentPushesOfOneBatchStoreEachOperationOnce() async throws {
        try await withPostgresTestDatabase { database in
            let first = try await PostgresHubStore.initialize(database.location)
            let second = try await PostgresHubStore.open(database.location)
            let node = try NodeID(validating: "anna")
            let replica = try TestReplica(node: node, token: try await first.addNode(node))
            try replica.addLeads(40)
            let ops = try replica.store.operations(missingFrom: VectorClock())
            let results = try await withThrowingTaskGroup(of: ApplyResult.self) { group in
                for index in 0..<8 {
                    let hub = index.isMultiple(of: 2) ? first : second
                    group.addTask { try await hub.apply(ops, bodies: nil, from: node) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.map(\.applied).reduce(0, +) == ops.count)
            for result in results {
                #expect(result.applied + result.duplicates == ops.count)
                #expect(result.clock[ops[0].origin] == UInt64(ops.count))
            }
            let log = try await first.operationLog()
            #expect(log.count == ops.count)
            #expect(Set(log.map { "\($0.origin)#\($0.seq)" }).count == ops.count)
            // Counted where they were appended: once, duplicates not.
            let status = try await second.status()
            #expect(status.nodes.first { $0.node == node.rawValue }?.opsReceived == Int64(ops.count))
            await first.close()
            await second.close()
        }
    }

    /// A batch from another node's actor, a gap and a replicated setting are refused whole.
    @Test func refusedBatchesLeaveNothing() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresHubStore.initialize(database.location)
            let anna = try NodeID(validating: "anna")
            let replica = try TestReplica(node: anna, token: try await hub.addNode(anna))
            try replica.addLeads(3)
            let ops = try replica.store.operations(missingFrom: VectorClock())
            await #expect(throws: ProtocolError.self) { _ = try await hub.apply(ops, bodies: nil, from: try NodeID(validating: "ben")) }
            await #expect(throws: ProtocolError.self) { _ = try await hub.apply(Array(ops.dropFirst()), bodies: nil, from: anna) }
            #expect(try await hub.operationLog().isEmpty)
            #expect(try await hub.clock() == VectorClock())
            _ = try await hub.apply(ops, bodies: nil, from: anna)
            #expect(try await hub.operationLog().count == 3)
            await hub.close()
        }
    }

    /// A refused batch in the middle of one group commit: the batches around it are stored whole,
    /// it leaves nothing, and the refusal is its own (the group is applied again batch by batch).
    @Test func aRefusedBatchInAGroupLeavesTheOthersWhole() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresHubStore.initialize(database.location)
            let anna = try NodeID(validating: "anna")
            let ben = try NodeID(validating: "ben")
            let annaReplica = try TestReplica(node: anna, token: try await hub.addNode(anna))
            let benReplica = try TestReplica(node: ben, token: try await hub.addNode(ben))
            try annaReplica.addLeads(3)
            try benReplica.addLeads(2)
            let annaOps = try annaReplica.store.operations(missingFrom: VectorClock())
            let benOps = try benReplica.store.operations(missingFrom: VectorClock())
            let results = try await PostgresOpLog.commit([
                IncomingBatch(ops: Array(annaOps.prefix(1)), bodies: annaOps.prefix(1).map(\.json), node: anna),
                IncomingBatch(ops: Array(annaOps.suffix(1)), bodies: annaOps.suffix(1).map(\.json), node: anna),
                IncomingBatch(ops: benOps, bodies: benOps.map(\.json), node: ben),
            ], in: hub.database)
            #expect(results.map { (try? $0.get())?.applied } == [1, nil, 2])
            guard case .failure(let refusal) = results[1] else {
                Issue.record("the batch with a seq gap was accepted")
                return
            }
            #expect(refusal.code == .seqGap)
            let log = try await hub.operationLog()
            #expect(log.count == 3)
            #expect(Set(log.map(\.origin)) == [annaOps[0].origin.rawValue, benOps[0].origin.rawValue])
            #expect(try await hub.status().leads == 3)
            await hub.close()
        }
    }

    /// Two processes commit concurrently while a replica pulls through one of them. Process A's
    /// transaction is held open after it has taken the log lock (a test transaction holds an
    /// uncommitted row at position 1, so A's insert there waits for it); process B's batch then
    /// waits for the log lock instead of taking later positions and committing first; a pull in
    /// between sees neither batch, never B's without A's. Once released, the replica's next pull
    /// gets every operation of both.
    @Test func aPullBetweenConcurrentCommitsMissesNothing() async throws {
        try await withPostgresTestDatabase { database in
            let a = try await PostgresHubStore.initialize(database.location)
            let b = try await PostgresHubStore.open(database.location)
            let anna = try NodeID(validating: "anna")
            let ben = try NodeID(validating: "ben")
            let carla = try NodeID(validating: "carla")
            let annaReplica = try TestReplica(node: anna, token: try await a.addNode(anna))
            let benReplica = try TestReplica(node: ben, token: try await a.addNode(ben))
            let carlaReplica = try TestReplica(node: carla, token: try await a.addNode(carla))
            try annaReplica.addLeads(5)
            try benReplica.addLeads(5)
            let annaOps = try annaReplica.store.operations(missingFrom: VectorClock())
            let benOps = try benReplica.store.operations(missingFrom: VectorClock())
            let observer = try await PostgresHubDatabase.connect(database.location, maxConnections: 2)
            let release = AsyncStream<Void>.makeStream()
            let holding = AsyncStream<Void>.makeStream()
            let blocker = Task {
                try await observer.transaction { connection, logger in
                    try await connection.query(
                        "INSERT INTO op (pos, actor, seq, record, body) VALUES (1, 'test~held', 1, 'held', '{}')", logger: logger)
                    holding.continuation.yield()
                    for await _ in release.stream { break }
                    try await connection.query("DELETE FROM op WHERE pos = 1", logger: logger)
                }
            }
            for await _ in holding.stream { break }
            let pushA = Task { try await a.apply(annaOps, bodies: nil, from: anna) }
            try await waitForLockWaiters(1, database: observer)
            let pushB = Task { try await b.apply(benOps, bodies: nil, from: ben) }
            try await waitForLockWaiters(2, database: observer)

            // The pull in between, through process B, over the wire.
            try await withServer(b) { port in
                let summary = try await client(carlaReplica, port: port).sync()
                #expect(summary.received == 0)
            }
            #expect(try await b.operationBodies(missingFrom: VectorClock(), after: 0, limit: 100).isEmpty)

            release.continuation.finish()
            try await blocker.value
            let first = try await pushA.value
            let second = try await pushB.value
            #expect(first.applied == annaOps.count)
            #expect(second.applied == benOps.count)
            // A's positions come before B's: B could not commit first.
            let log = try await a.operationLog()
            #expect(log.map(\.origin) == annaOps.map(\.origin.rawValue) + benOps.map(\.origin.rawValue))
            try await withServer(b) { port in
                let summary = try await client(carlaReplica, port: port).sync()
                #expect(summary.received == annaOps.count + benOps.count)
            }
            #expect(try carlaReplica.store.clock() == (try await a.clock()))
            await observer.close()
            await a.close()
            await b.close()
        }
    }

    /// Waits until `count` backends of this database wait for a lock, polling for at most 10 s.
    private func waitForLockWaiters(_ count: Int, database: PostgresHubDatabase) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline {
            let waiting = try await database.connection { connection, logger in
                for try await value in try await connection.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                    logger: logger
                ).decode(Int64.self) {
                    return value
                }
                return 0
            }
            if waiting >= count { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("fewer than \(count) transactions waited for a lock within 10 s")
        throw CancellationError()
    }

    private func withServer(_ store: PostgresHubStore, _ body: (Int) async throws -> Void) async throws {
        let server = try await HubServer.bind(
            configuration: HubServerConfiguration(host: "127.0.0.1", port: 0, transport: .plaintext, shutdownGracePeriod: .seconds(2)),
            store: store, logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            do {
                try await body(server.port)
            } catch {
                await server.shutdown()
                throw error
            }
            await server.shutdown()
            try await group.waitForAll()
        }
    }

    private func client(_ replica: TestReplica, port: Int) -> SyncClient {
        SyncClient(
            store: replica.store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: port, token: replica.token, transport: .plaintext, limits: Limits(),
                connectTimeout: .seconds(5), idleTimeout: .seconds(30)),
            logger: .quiet)
    }
}
