import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubPostgres
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore
import Testing

/// Three `hub serve --database` processes over one database; ten replicas edit at random and sync
/// concurrently with randomly chosen processes while one process at a time is SIGKILLed and
/// restarted (at least ten times). Afterwards: every operation a sync acknowledged is in the log,
/// no operation is stored twice, and after two quiet rounds every replica holds the same data,
/// which is what the reference model computes from the log.
@Suite(.timeLimit(.minutes(6))) struct PostgresKillRestartTests {
    static let replicaCount = 10
    static let kills = 10

    @Test func threeProcessesSurviveKillsAndConverge() async throws {
        try await withPostgresTestDatabase { database in
            let hub = try PostgresCLI(database: database)
            var replicas: [TestReplica] = []
            for index in 0..<Self.replicaCount {
                let name = "rep\(index)"
                replicas.append(try TestReplica(node: NodeID(validating: name), token: try hub.addNode(name)))
            }
            let fleet = Fleet(try await onDedicatedThread { try (0..<3).map { _ in try hub.serve() } })
            let ledger = Ledger()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, replica) in replicas.enumerated() {
                    group.addTask { try await Self.work(replica, seed: UInt64(100 + index), fleet: fleet, ledger: ledger) }
                }
                group.addTask {
                    var rng = SeededGenerator(seed: 7)
                    for kill in 0..<Self.kills {
                        // Pacing the chaos, not waiting for a state: let sessions start on every process.
                        try await Task.sleep(for: .milliseconds(Int.random(in: 150...400, using: &rng)))
                        try await fleet.killAndRestart(kill % 3)
                    }
                    await fleet.finishKilling()
                }
                try await group.waitForAll()
            }
            #expect(await fleet.restarts >= Self.kills)

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
    private(set) var restarts = 0
    private(set) var doneKilling = false

    init(_ processes: [HubProcess]) {
        self.processes = processes
    }

    var ports: [Int] { processes.map(\.port) }

    func randomPort(using rng: inout SeededGenerator) -> Int {
        processes[Int.random(in: 0..<processes.count, using: &rng)].port
    }

    func killAndRestart(_ index: Int) async throws {
        let victim = processes[index]
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
    private var acknowledgedUpTo: [ActorID: UInt64] = [:]

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
