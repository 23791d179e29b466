import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore
import NIOPosix
import Testing

/// The convergence property test (`LeadSyncStoreTests/ConvergencePropertyTests`) over the wire:
/// random histories on 3-5 replicas that only ever exchange operations through a real hub on a
/// loopback port, with random sync order, random batch sizes and sessions cut after a random number
/// of lines. After a full sync round (every replica, then every replica again) the hub and every
/// replica hold the same leads, conflicts and activities, and the same op log, which is exactly the
/// set of operations the replicas made.
///
/// It runs against both hub backends: SQLite (an in-memory store) and PostgreSQL (a fresh database
/// per partition, emptied between scenarios, on the server `Scripts/test.sh` starts).
///
/// Replay a failing seed with `LEADSYNC_WIRE_SEED=<seed> LEADSYNC_WIRE_SCENARIOS=1`.
@Suite struct WireConvergenceTests {
    static let scenarios = Int(ProcessInfo.processInfo.environment["LEADSYNC_WIRE_SCENARIOS"] ?? "") ?? 200
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["LEADSYNC_WIRE_SEED"] ?? "") ?? 1
    static let partitions = 4

    @Test(.timeLimit(.minutes(8)), arguments: WireBackend.allCases, 0..<partitions)
    func randomHistoriesConvergeOverTheWire(backend: WireBackend, partition: Int) async throws {
        let perPartition = (Self.scenarios + Self.partitions - 1) / Self.partitions
        let first = Self.firstSeed + UInt64(partition * perPartition)
        let count = max(0, min(perPartition, Self.scenarios - partition * perPartition))
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let postgres: (database: PostgresTestDatabase, store: PostgresHubStore)?
        if backend == .postgres {
            let database = try await PostgresTestDatabase.create()
            postgres = (database, try await PostgresHubStore.initialize(database.location))
        } else {
            postgres = nil
        }
        var withConflicts = 0
        var withCuts = 0
        var withErasures = 0
        var failed = false
        for seed in first..<(first + UInt64(count)) {
            var scenario = try WireScenario(seed: seed)
            let failures: [String]
            do {
                let hub: any WireHub = if let postgres {
                    try await PostgresWireHub(store: postgres.store)
                } else {
                    try SQLiteWireHub(threadPool: threadPool)
                }
                failures = try await scenario.run(hub: hub)
            } catch {
                failures = ["threw \(error)"]
            }
            #expect(
                failures.isEmpty,
                "seed \(seed) (rerun with LEADSYNC_WIRE_SEED=\(seed) LEADSYNC_WIRE_SCENARIOS=1): \(failures.joined(separator: "; "))")
            if !failures.isEmpty {
                failed = true
                break
            }
            if scenario.sawConflict { withConflicts += 1 }
            if scenario.cuts > 0 { withCuts += 1 }
            if scenario.erasures > 0 { withErasures += 1 }
        }
        try await threadPool.shutdownGracefully()
        if let postgres {
            await postgres.store.close()
            try await postgres.database.drop()
        }
        guard !failed else { return }
        // The histories must exercise what they claim to: concurrent writes and interrupted sessions.
        #expect(withConflicts >= count / 5, "only \(withConflicts) of \(count) scenarios had conflicts")
        #expect(withCuts >= count / 3, "only \(withCuts) of \(count) scenarios cut a session")
        print("wire convergence (\(backend)) partition \(partition): \(count) scenarios, \(withConflicts) with conflicts, \(withCuts) with cut sessions, \(withErasures) with erasures")
    }
}

/// One random history. Replicas are in-memory stores with skewed wall clocks; the hub is a real
/// ``HubServer`` with its own in-memory store and registry, bound to 127.0.0.1 on a free port.
struct WireScenario {
    let seed: UInt64
    var rng: SeededGenerator
    let replicas: [Replica]
    /// Every local operation made, as `origin#seq`: the op set everyone must end with.
    var made: Set<String> = []
    private(set) var cuts = 0
    /// Whether the hub held an open conflict at some point (a later causal write may resolve it).
    private(set) var sawConflict = false
    private(set) var erasures = 0

    struct Replica {
        let node: NodeID
        let store: Store
        let wall: SimulatedWallClock
    }

    init(seed: UInt64) throws {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        var replicas: [Replica] = []
        for index in 0..<Int.random(in: 3...5, using: &rng) {
            // Up to five years behind: wall time must never decide between causally ordered writes.
            let wall = SimulatedWallClock(1_800_000_000_000 + Int64.random(in: -157_680_000_000...0, using: &rng))
            let store = try Store.inMemory(now: { wall.tick() })
            let node = try NodeID(validating: "rep\(index)")
            try store.initialize(node: node)
            replicas.append(Replica(node: node, store: store, wall: wall))
        }
        self.replicas = replicas
    }

    /// Plays the history against a fresh hub and returns what fails to converge.
    mutating func run(hub: any WireHub) async throws -> [String] {
        var tokens: [String] = []
        for replica in replicas { tokens.append(try await hub.addNode(replica.node)) }
        // Small, random batch sizes so that sessions span several batches both ways.
        let hubLimits = Limits(
            maxBatchOps: Int.random(in: 1...8, using: &rng), helloTimeoutMillis: 10_000, idleTimeoutMillis: 30_000,
            maxConnections: 16)
        // The hub's clock is the latest of all: replicas are behind it, by up to five years, and
        // none is refused for a clock ahead (ClockPolicy).
        let hubWall = SimulatedWallClock(1_800_000_000_000)
        let server = try await HubServer.bind(
            configuration: HubServerConfiguration(host: "127.0.0.1", port: 0, transport: .plaintext, limits: hubLimits, shutdownGracePeriod: .seconds(2)),
            store: hub.store, logger: .quiet, now: { hubWall.tick() })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let outcome: Result<[String], any Error>
            do {
                outcome = .success(try await play(port: server.port, tokens: tokens, hub: hub))
            } catch {
                outcome = .failure(error)
            }
            await server.shutdown()
            try await group.waitForAll()
            return try outcome.get()
        }
    }

    private mutating func play(port: Int, tokens: [String], hub: any WireHub) async throws -> [String] {
        var failures: [String] = []
        // A lead or two everyone has from the start, as after a first sync at the fair: the
        // histories then write the same fields of the same leads concurrently, not only their own.
        for _ in 0..<Int.random(in: 1...2, using: &rng) {
            try localEdit(at: replicas[0].store, create: true)
        }
        for index in replicas.indices {
            failures += try await sync(index, port: port, token: tokens[index], hub: hub, cutAfter: nil)
        }
        for _ in 0..<Int.random(in: 10...40, using: &rng) {
            let index = Int.random(in: 0..<replicas.count, using: &rng)
            if Int.random(in: 0..<3, using: &rng) == 0 {
                // Half of the syncs are cut after a random number of lines.
                let cut = Bool.random(using: &rng) ? Int.random(in: 0...16, using: &rng) : nil
                failures += try await sync(index, port: port, token: tokens[index], hub: hub, cutAfter: cut)
                if try await hub.hasConflicts(replicas: replicas.map(\.store)) { sawConflict = true }
            } else {
                try localEdit(at: replicas[index].store)
            }
        }
        for _ in 0..<2 {
            for index in replicas.indices.shuffled(using: &rng) {
                failures += try await sync(index, port: port, token: tokens[index], hub: hub, cutAfter: nil)
            }
        }
        guard failures.isEmpty else { return failures }

        let log = try await hub.operationLog()
        let logged = Set(log)
        if logged != made {
            failures.append("hub op log: \(logged.count) ops, made \(made.count); lost \(made.subtracting(logged).sorted().prefix(5))")
        }
        if log.count != logged.count { failures.append("hub applied \(log.count - logged.count) ops twice") }
        // The state every replica must equal: the hub's own, or (a hub keeping no lead state) the first replica's.
        let expected = try hub.state() ?? ReplicaState(replicas[0].store)
        for (index, replica) in replicas.enumerated() {
            let differences = try ReplicaState(replica.store).differences(from: expected)
            if !differences.isEmpty { failures.append("replica \(index) vs hub: \(differences.joined(separator: "; "))") }
        }
        if !expected.conflicts.isEmpty { sawConflict = true }
        // Agreement is not enough: what they agree on must be what the merge rules say.
        let reference = ReferenceModel(operations: try await hub.operations())
        failures += try await hub.referenceDifferences(reference)
        for (index, replica) in replicas.enumerated() {
            failures += try reference.differences(from: replica.store, label: "replica \(index)")
        }
        return failures
    }

    /// One session of replica `index`; `cutAfter` cuts it after that many lines.
    private mutating func sync(_ index: Int, port: Int, token: String, hub: any WireHub, cutAfter: Int?) async throws -> [String] {
        let replica = replicas[index]
        let wall = replica.wall
        let client = SyncClient(
            store: replica.store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: port, token: token, transport: .plaintext,
                limits: Limits(maxBatchOps: Int.random(in: 1...6, using: &rng)),
                connectTimeout: .seconds(5), idleTimeout: .seconds(30), maxLines: cutAfter),
            logger: .quiet, now: { wall.tick() })
        do {
            _ = try await client.sync()
        } catch SyncError.cutOff {
            cuts += 1
            // The hub may still be committing a batch it read before the cut; let it settle so the
            // next session starts from the same hub state on every replay of this seed.
            guard try await hub.waitUntilDisconnected(replica.node) else {
                return ["the hub did not end \(replica.node)'s cut session within 10 s"]
            }
        } catch {
            return ["sync of replica \(index) failed: \(error)"]
        }
        return []
    }

    /// A random local edit (``RandomEdits``), remembered in `made`.
    private mutating func localEdit(at store: Store, create: Bool = false) throws {
        guard let op = try RandomEdits.edit(at: store, using: &rng, create: create) else { return }
        made.insert("\(op.origin)#\(op.seq)")
        if op.change == .erase { erasures += 1 }
    }
}
