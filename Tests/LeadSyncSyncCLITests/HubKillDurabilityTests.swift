import Foundation
import LeadSyncCore
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTestSupport
import NIOCore
import Testing

/// kill -9 of the hub (`leadsync hub serve`, a subprocess) in the middle of a replica's sync, over
/// and over: after every restart the hub holds every operation it acknowledged, its database is
/// sound, and a final full sync converges. Replay a failure with LEADSYNC_HUB_KILL_SEED=<printed seed>.
@Suite struct HubKillDurabilityTests {
    static let operations = 10_000
    static let rounds = 24
    /// Under a loaded machine the kills land late and hit fewer batches in flight; the test then goes
    /// on, up to this many rounds, until its coverage goals are met.
    static let maxRounds = 72
    /// Small batches: many acknowledgements, so the kill lands between and inside commits.
    static let batch = Limits(maxBatchOps: 10)

    @Test(.timeLimit(.minutes(8))) func killedHubKeepsEveryAcknowledgedOperation() async throws {
        let seed = ProcessInfo.processInfo.environment["LEADSYNC_HUB_KILL_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("hub-kill seed: \(seed) (replay with LEADSYNC_HUB_KILL_SEED=\(seed))")
        var rng = SeededGenerator(seed: seed)
        let root = try TemporaryDirectory("hub-kill")
        let hubHome = root.appending("hub").path
        let storePath = hubHome + "/hub.sqlite"

        let (replica, invitation) = try await onDedicatedThread { try Self.prepare(root: root, hubHome: hubHome) }
        let token = invitation.token
        let transport = try invitation.clientTransport()
        #expect(try replica.counts().operations == Self.operations)

        // Everything the hub has ever acknowledged to this client, across all rounds.
        var acknowledged = VectorClock()
        var killedMidSession = 0
        // Rounds in which the hub had committed more than it had acknowledged when it died.
        var committedUnacknowledged = 0
        var killedWithBatchInFlight = 0
        var pushedBeforeKills: UInt64 = 0
        var round = 0
        while round < Self.rounds
            || (round < Self.maxRounds && pushedBeforeKills < UInt64(Self.operations * 3 / 4)
                && (killedMidSession < Self.rounds / 2 || killedWithBatchInFlight < Self.rounds / 4))
        {
            defer { round += 1 }
            let hub = try await onDedicatedThread { try HubProcess(home: hubHome) }
            // The kill point alternates between two kinds: 0-5 ms after the client has received its
            // 1st-24th line (welcome, then acks), which lands between batches as often as inside one;
            // and 0-1 ms after the client has sent its 1st-20th batch, while the hub reads, applies or
            // commits it. The second kind makes sure kills during a commit happen however fast the hub is.
            let trigger: Killer.Trigger = round.isMultiple(of: 2)
                ? .received(lines: Int.random(in: 1...24, using: &rng))
                : .sent(batches: Int.random(in: 1...20, using: &rng))
            let killer = Killer(
                pid: hub.pid, trigger: trigger,
                delayMicros: Int.random(in: 0...(round.isMultiple(of: 2) ? 5_000 : 1_000), using: &rng))
            let client = SyncClient(
                store: replica,
                configuration: SyncConfiguration(
                    host: "127.0.0.1", port: hub.port, token: token, transport: transport, limits: Self.batch,
                    connectTimeout: .seconds(5),
                    idleTimeout: .seconds(30), traffic: { killer.observe($0, $1) }),
                logger: .quiet)
            var completed = false
            do {
                _ = try await client.sync()
                completed = true
            } catch {
                // Expected: the hub died under the session.
            }
            // Whatever happened, the hub is dead before its files are inspected.
            let exitStatus = try await onDedicatedThread { hub.kill9(within: 10) }
            try #require(exitStatus != nil, "round \(round): the hub did not die")
            if !completed && killer.fired { killedMidSession += 1 }
            if killer.landedWithBatchInFlight { killedWithBatchInFlight += 1 }
            if let last = killer.lastAck { acknowledged = acknowledged.merging(last) }

            let (hubClock, problems, logSize, distinct) = try await onDedicatedThread {
                let store = try Store.open(path: storePath)
                let log = try store.operationLog()
                return (try store.clock(), try store.integrityCheck(), log.count, Set(log.map { "\($0.origin)#\($0.seq)" }).count)
            }
            let context = "round \(round) (seed \(seed)): killed \(killer.trigger) + \(killer.delayMicros) µs"
            #expect(problems.isEmpty, "\(context): integrity check: \(problems)")
            #expect(logSize == distinct, "\(context): an operation is in the hub's log twice")
            #expect(Self.covers(hubClock, acknowledged), "\(context): hub clock \(hubClock) lacks acknowledged \(acknowledged)")
            // The client's own record of what the hub has (SyncStatus) is never ahead of the hub either.
            let believed = try SyncStatus.load(store: replica).hubClock
            #expect(Self.covers(hubClock, believed), "\(context): hub clock \(hubClock) lacks what the client recorded, \(believed)")
            let onHub = hubClock.entries.reduce(0) { $0 + $1.value }
            if onHub > acknowledged.entries.reduce(0, { $0 + $1.value }) { committedUnacknowledged += 1 }
            pushedBeforeKills = onHub
        }
        #expect(killedMidSession >= Self.rounds / 2, "only \(killedMidSession) of \(round) kills hit a running session")
        #expect(killedWithBatchInFlight >= Self.rounds / 4, "only \(killedWithBatchInFlight) of \(round) kills hit a batch in flight")
        #expect(pushedBeforeKills > 0 && pushedBeforeKills < UInt64(Self.operations), "the kills should interrupt the push: \(pushedBeforeKills)")

        // A final, undisturbed sync gets the rest across; hub and replica hold the same log.
        let hub = try await onDedicatedThread { try HubProcess(home: hubHome) }
        let summary = try await SyncClient(
            store: replica,
            configuration: SyncConfiguration(
                host: "127.0.0.1", port: hub.port, token: token, transport: transport, connectTimeout: .seconds(5),
                idleTimeout: .seconds(60)),
            logger: .quiet
        ).sync()
        #expect(summary.sent == Self.operations - Int(pushedBeforeKills))
        let stopped = try await onDedicatedThread { try hub.terminate(within: 15) }
        #expect(stopped == 0)
        let (hubOperations, differences) = try await onDedicatedThread {
            let hubState = try ReplicaState(try Store.open(path: storePath))
            return (hubState.operations.count, try ReplicaState(replica).differences(from: hubState))
        }
        #expect(hubOperations == Self.operations)
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
        #expect(try SyncStatus.load(store: replica).unacknowledged == 0)
        print("""
            hub-kill: \(round) rounds, \(killedMidSession) kills mid-session, \(killedWithBatchInFlight) while a batch \
            was in flight, \(committedUnacknowledged) after the hub committed a batch it had not acknowledged yet, \
            \(pushedBeforeKills) ops on the hub before the final sync
            """)
    }

    /// A hub home with node anna, and anna's replica holding `operations` operations made in one
    /// transaction: 2,500 leads, each captured, then given a city, a tag and a note.
    static func prepare(root: TemporaryDirectory, hubHome: String) throws -> (Store, NodeInvitation) {
        let invitation = try CLIHub(home: hubHome).addNode("anna")

        let home = root.appending("anna")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try Store.open(path: home.appendingPathComponent("replica.sqlite").path)
        try store.initialize(node: NodeID(validating: "anna"))
        let cities = ["Hannover", "Köln", "München", "Leipzig", "Frankfurt am Main"]
        var generator = SystemRandomNumberGenerator()
        try store.editing { editor in
            for index in 0..<(operations / 4) {
                let id = RecordID.random(using: &generator)
                let create = try Store.createChange(
                    fields: ["first_name": "Kunde", "last_name": "Nr. \(index)", "company": "Firma \(index % 97) GmbH"],
                    stage: .lead, tags: [])
                try editor.commit(create, to: id)
                try editor.commit(.set([.standard(.city): cities[index % cities.count]]), to: id)
                try editor.commit(.tag(["messe"]), to: id)
                try editor.commit(.note("Gespräch am Stand \(index % 40)"), to: id)
            }
        }
        return (store, invitation)
    }

    static func covers(_ clock: VectorClock, _ other: VectorClock) -> Bool {
        other.entries.allSatisfy { clock[$0.key] >= $0.value }
    }
}

/// Watches a session's traffic: remembers the last `ack` the hub sent, and SIGKILLs the hub a
/// little after a given line of the session.
final class Killer: @unchecked Sendable {
    /// The line after which the kill is scheduled.
    enum Trigger: CustomStringConvertible {
        /// The n-th line the client received from the hub.
        case received(lines: Int)
        /// The n-th `ops` batch the client sent.
        case sent(batches: Int)

        var description: String {
            switch self {
            case .received(let lines): "after \(lines) received lines"
            case .sent(let batches): "after \(batches) sent batches"
            }
        }
    }

    let pid: pid_t
    let trigger: Trigger
    let delayMicros: Int
    private let lock = NSLock()
    private var received = 0
    private var sentBatches = 0
    private var _fired = false
    private var _lastAck: VectorClock?
    private var inFlight = false
    private var _landedInFlight = false

    init(pid: pid_t, trigger: Trigger, delayMicros: Int) {
        self.pid = pid
        self.trigger = trigger
        self.delayMicros = delayMicros
    }

    var fired: Bool { lock.withLock { _fired } }
    var lastAck: VectorClock? { lock.withLock { _lastAck } }

    /// Whether the kill landed while a pushed batch was unacknowledged: the hub was reading,
    /// applying or committing it, or its `ack` was on the way.
    var landedWithBatchInFlight: Bool { lock.withLock { _landedInFlight } }

    func observe(_ direction: TrafficDirection, _ line: String) {
        var ack: VectorClock?
        if direction == .received, line.contains(#""type":"ack""#),
            case .ack(let clock) = try? LineCodec.decode(Array(line.utf8))
        {
            ack = clock
        }
        let isBatch = direction == .sent && line.contains(#""type":"ops""#)
        let fire: Bool = lock.withLock {
            switch direction {
            case .sent:
                guard isBatch else { return false }
                inFlight = true
                sentBatches += 1
            case .received:
                received += 1
                if let ack {
                    _lastAck = ack
                    inFlight = false
                }
            }
            let reached = switch trigger {
            case .received(let lines): direction == .received && received == lines
            case .sent(let batches): isBatch && sentBatches == batches
            }
            guard reached, !_fired else { return false }
            _fired = true
            return true
        }
        guard fire else { return }
        // A thread of its own: on a busy machine a shared queue would run the kill late.
        Thread { [self] in
            usleep(UInt32(delayMicros))
            lock.withLock {
                kill(pid, SIGKILL)
                _landedInFlight = inFlight
            }
        }.start()
    }
}
