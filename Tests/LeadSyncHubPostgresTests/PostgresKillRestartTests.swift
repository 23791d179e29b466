import Foundation
import LeadSyncCore
import LeadSyncHub
@testable import LeadSyncHubPostgres
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore
import PostgresNIO
import Testing

/// Three `hub serve --database` processes over one database; ten replicas edit at random and sync
/// concurrently with randomly chosen processes while one process at a time is SIGKILLed and
/// restarted (at least ten times), each kill landing while the victim has a session open.
/// Afterwards: every operation a sync acknowledged is in the log, no operation is stored twice,
/// and after two quiet rounds every replica holds the same data, which is what the reference model
/// computes from the log.
@Suite(.timeLimit(.minutes(6))) struct PostgresKillRestartTests {
    static let replicaCount = 10
    static let kills = 10

    @Test func threeProcessesSurviveKillsAndConverge() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try await PostgresCLI.initialize(database)
            var replicas: [TestReplica] = []
            for index in 0..<Self.replicaCount {
                let name = "rep\(index)"
                replicas.append(try TestReplica(node: NodeID(validating: name), token: try await hub.addNode(name)))
            }
            let watcher = try await PostgresHubDatabase.connect(database.location, maxConnections: 1)
            let fleet = Fleet(try await onDedicatedThread { try (0..<3).map { _ in try hub.serve() } }, watcher: watcher)
            let ledger = Ledger()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, replica) in replicas.enumerated() {
                    group.addTask { try await Self.work(replica, seed: UInt64(100 + index), fleet: fleet, ledger: ledger) }
                }
                group.addTask {
                    var rng = SeededGenerator(seed: 7)
                    for _ in 0..<Self.kills {
                        try await fleet.killAndRestart(Int.random(in: 0..<3, using: &rng))
                    }
                    await fleet.finishKilling()
                }
                try await group.waitForAll()
            }
            #expect(await fleet.restarts >= Self.kills)
            // Most kills found a session open on their victim; some cut a sync short.
            let killedMidSession = await fleet.killedMidSession
            print("""
                kill/restart: \(await fleet.restarts) kills, \(killedMidSession) with a session open, \
                \(await ledger.interrupted) syncs cut, \(await ledger.acknowledged.count) operations acknowledged
                """)
            #expect(killedMidSession >= Self.kills / 2, "\(killedMidSession) kills mid-session")
            #expect(await ledger.interrupted > 0, "no sync was cut by a kill")
            await watcher.close()

            let store = try await PostgresHubStore.open(database.location)
            let log = try await store.operationLog().map { "\($0.origin)#\($0.seq)" }
            let logged = Set(log)
            let acknowledged = await ledger.acknowledged
            #expect(acknowledged.subtracting(logged).isEmpty, "acknowledged but lost: \(acknowledged.subtracting(logged).sorted().prefix(5))")
            #expect(log.count == logged.count, "\(log.count - logged.count) operations stored twice")

            // Two quiet rounds, each replica through a different process each time.
            let ports = await fleet.ports
            for round in 0..<2 {
                for (index, replica) in replicas.enumerated() {
                    _ = try await sync(replica, port: ports[(index + round) % ports.count])
                }
            }
            let finalLog = try await store.operationLog().map { "\($0.origin)#\($0.seq)" }
            let made = await ledger.made
            #expect(Set(finalLog) == made, "log \(finalLog.count) ops, made \(made.count)")
            #expect(finalLog.count == Set(finalLog).count)
            let expected = try ReplicaState(replicas[0].store)
            for (index, replica) in replicas.enumerated() {
                let differences = try ReplicaState(replica.store).differences(from: expected)
                #expect(differences.isEmpty, "replica \(index): \(differences)")
            }
            let decoder = JSONDecoder()
            let operations = try await store.operationBodies(missingFrom: VectorClock(), after: 0, limit: .max).map {
                try decoder.decode(Op.self, from: Data($0.body.utf8))
            }
            let reference = ReferenceModel(operations: operations)
            for (index, replica) in replicas.enumerated() {
                let failures = try reference.differences(from: replica.store, label: "replica \(index)")
                #expect(failures.isEmpty, "\(failures.prefix(3))")
            }
            // Every process serves the same, complete log.
            let hubClock = try await store.clock()
            for port in ports {
                let summary = try await sync(replicas[0], port: port)
                #expect(summary.received == 0)
                #expect(try replicas[0].store.clock() == hubClock)
            }
            await store.close()
            await fleet.stopAll()
        }
    }

    /// One replica's life: a few edits, a sync with a random process, until the killing is over
    /// (and at least eight rounds; at most 400).
    private static func work(_ replica: TestReplica, seed: UInt64, fleet: Fleet, ledger: Ledger) async throws {
        var rng = SeededGenerator(seed: seed)
        let actor = try #require(try replica.store.identity()).actor
        for round in 1...400 {
            if round > 8, await fleet.doneKilling { break }
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                if let op = try RandomEdits.edit(at: replica.store, using: &rng) { await ledger.made("\(op.origin)#\(op.seq)") }
            }
            let pushedUpTo = try replica.store.clock()[actor]
            let port = await fleet.randomPort(using: &rng)
            do {
                _ = try await PostgresKillRestartTests.sync(replica, port: port)
                await ledger.acknowledged(origin: actor, upTo: pushedUpTo)
            } catch {
                // The process died under the session, or was being restarted: try another next round.
                await ledger.syncInterrupted()
            }
        }
    }

    static func sync(_ replica: TestReplica, port: Int) async throws -> SyncSummary {
        try await SyncClient(
            store: replica.store,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: port, token: replica.token, transport: .plaintext,
                connectTimeout: .seconds(2), idleTimeout: .seconds(20)),
            logger: .quiet
        ).sync()
    }

    private func sync(_ replica: TestReplica, port: Int) async throws -> SyncSummary {
        try await Self.sync(replica, port: port)
    }
}

/// The three serving processes; one is killed and replaced at a time.
actor Fleet {
    private var processes: [HubProcess]
    /// Reads which processes have sessions open (`node_connection`).
    private let watcher: PostgresHubDatabase
    private(set) var restarts = 0
    private(set) var killedMidSession = 0
    private(set) var doneKilling = false

    init(_ processes: [HubProcess], watcher: PostgresHubDatabase) {
        self.processes = processes
        self.watcher = watcher
    }

    /// Waits until the process `pid` counts an open session (its `hub_process` id holds its pid),
    /// polling every 5 ms for at most 3 s; false if none opened meanwhile.
    private func waitForOpenSession(pid: pid_t) async throws -> Bool {
        let pattern = "%/\(pid)/%"
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(3)
        while clock.now < deadline {
            let open = try await watcher.connection { connection, logger in
                for try await count in try await connection.query(
                    "SELECT coalesce(sum(sessions), 0)::bigint FROM node_connection WHERE process LIKE \(pattern)", logger: logger
                ).decode(Int64.self) {
                    return count
                }
                return 0
            }
            if open > 0 { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    var ports: [Int] { processes.map(\.port) }

    func randomPort(using rng: inout SeededGenerator) -> Int {
        processes[Int.random(in: 0..<processes.count, using: &rng)].port
    }

    /// SIGKILLs process `index` as soon as it serves a session (or after 3 s), then starts a new one.
    func killAndRestart(_ index: Int) async throws {
        let victim = processes[index]
        if try await waitForOpenSession(pid: victim.pid) { killedMidSession += 1 }
        let replacement = try await onDedicatedThread { () throws -> HubProcess in
            guard victim.kill9(within: 10) != nil else { throw PostgresTestError("a killed hub process did not exit within 10 s") }
            return try HubProcess(location: victim.location, arguments: ["--plaintext"])
        }
        processes[index] = replacement
        restarts += 1
    }

    func finishKilling() {
        doneKilling = true
    }

    func stopAll() {
        for process in processes { process.stop() }
    }
}

/// What the replicas made and what syncs acknowledged, as `origin#seq`.
actor Ledger {
    private(set) var made: Set<String> = []
    private(set) var acknowledged: Set<String> = []
    /// Syncs that failed (their process was killed or not yet restarted).
    private(set) var interrupted = 0
    private var acknowledgedUpTo: [ActorID: UInt64] = [:]

    func syncInterrupted() {
        interrupted += 1
    }

    func made(_ op: String) {
        made.insert(op)
    }

    func acknowledged(origin: ActorID, upTo seq: UInt64) {
        let from = acknowledgedUpTo[origin] ?? 0
        guard seq > from else { return }
        for next in (from + 1)...seq { acknowledged.insert("\(origin)#\(next)") }
        acknowledgedUpTo[origin] = seq
    }
}
