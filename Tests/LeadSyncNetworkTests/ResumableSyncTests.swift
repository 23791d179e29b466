import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A multi-batch session (batches of 3 both ways) cut after every possible line: the next run
/// resumes where the cut one stopped — it re-sends nothing the hub committed and re-pulls nothing
/// the replica committed — no operation is ever applied twice, and none is lost.
@Suite struct ResumableSyncTests {
    static let limits = Limits(maxBatchOps: 3, helloTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, maxConnections: 64)

    /// Lines seen by a client, for the checks below.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [(TrafficDirection, String)] = []

        func record(_ direction: TrafficDirection, _ line: String) {
            lock.withLock { lines.append((direction, line)) }
        }

        var count: Int { lock.withLock { lines.count } }

        /// The lines the hub sent, as received.
        var received: [String] { lock.withLock { lines.filter { $0.0 == .received }.map(\.1) } }

        /// Each line's message type, prefixed by who sent it ("> " the client, "< " the hub).
        var types: [String] {
            lock.withLock {
                lines.map { direction, line in
                    let type = (try? LineCodec.decode(Array(line.utf8)))?.type ?? "?"
                    return (direction == .sent ? "> " : "< ") + type
                }
            }
        }

        /// The clock of the last `ack` the hub sent, if any.
        var lastHubAck: VectorClock? {
            lock.withLock {
                lines.last { $0.0 == .received && $0.1.contains(#""type":"ack""#) }.flatMap { line in
                    if case .ack(let clock) = try? LineCodec.decode(Array(line.1.utf8)) { return clock }
                    return nil
                }
            }
        }
    }

    /// Anna has 12 operations to push (4 batches); the hub has 11 of Ben's for her (4 batches).
    static func prepare(_ hub: TestHub) async throws -> (anna: TestReplica, ben: TestReplica) {
        let anna = try hub.addReplica("anna")
        let ben = try hub.addReplica("ben")
        let annaLeads = try anna.addLeads(8)
        try anna.store.commit(.set([.standard(.city): "Leipzig"]), to: annaLeads[0])
        try anna.store.commit(.note("met at the booth"), to: annaLeads[1])
        try anna.store.commit(.tag(["vip"]), to: annaLeads[2])
        try anna.store.commit(.stage(.mql), to: annaLeads[3])
        let benLeads = try ben.addLeads(9)
        try ben.store.commit(.set([.standard(.phone): "+49 341 123456"]), to: benLeads[0])
        try ben.store.commit(.delete, to: benLeads[1])
        try await hub.sync(ben, limits: limits)
        return (anna, ben)
    }

    @Test(.timeLimit(.minutes(8))) func cutAfterEveryLineResumesWithoutLossOrDuplicates() async throws {
        // The uncut session: how many lines it takes.
        var total = 0
        try await withTestHub(transport: .plaintext, limits: Self.limits) { hub in
            let (anna, _) = try await Self.prepare(hub)
            let recorder = Recorder()
            let summary = try await hub.client(for: anna, limits: Self.limits, traffic: { recorder.record($0, $1) }).sync()
            #expect(summary.sent == 12 && summary.received == 11)
            total = recorder.count
            // The push keeps two batches in flight; the pull one.
            #expect(recorder.types == [
                "> hello", "< welcome",
                "> ops", "> ops", "< ack", "> ops", "< ack", "> ops", "< ack", "< ack", "> done",
                "< ops", "> ack", "< ops", "> ack", "< ops", "> ack", "< ops", "> ack", "< done",
            ])
        }
        // hello, welcome, 4 × (ops, ack), done, 4 × (ops, ack), done
        #expect(total == 20)

        for cut in 0..<total {
            try await withTestHub(transport: .plaintext, limits: Self.limits) { hub in
                let (anna, ben) = try await Self.prepare(hub)
                let annaOwn = try #require(try anna.store.identity()).actor
                let recorder = Recorder()
                await #expect(throws: SyncError.cutOff(afterLines: cut), "cut \(cut)") {
                    try await hub.client(for: anna, limits: Self.limits, maxLines: cut, traffic: { recorder.record($0, $1) }).sync()
                }
                #expect(recorder.count == cut)
                #expect(try await hub.registry.waitUntilDisconnected(anna.node), "cut \(cut): the hub did not end the session")

                // Whatever the hub acknowledged is on the hub; nothing is in a log twice.
                let hubClock = try hub.store.clock()
                if let acked = recorder.lastHubAck {
                    #expect(acked.entries.allSatisfy { hubClock[$0.key] >= $0.value }, "cut \(cut): acked \(acked), hub has \(hubClock)")
                }
                #expect(try ReplicaState(hub.store).duplicateOperations == 0)
                #expect(try ReplicaState(anna.store).duplicateOperations == 0)

                // The next run resumes: it pushes exactly what the hub lacks and pulls exactly what
                // Anna lacks, so nothing committed before the cut travels (or is applied) again.
                let annaClock = try anna.store.clock()
                let toPush = Int(annaClock[annaOwn] - hubClock[annaOwn])
                let toPull = Int(NodeStatus.lag(hub: hubClock, acknowledged: annaClock))
                let resumed = try await hub.sync(anna, limits: Self.limits)
                #expect(resumed.sent == toPush, "cut \(cut)")
                #expect(resumed.received == toPull, "cut \(cut)")
                #expect(toPush + toPull < 23 || cut < 3, "cut \(cut): nothing was kept from the cut session")

                try await hub.sync(ben, limits: Self.limits)
                try expectConverged([hub.store, anna.store, ben.store])
                #expect(try hub.store.operationLog().count == 23)
                #expect(try SyncStatus.load(store: anna.store).unacknowledged == 0)
            }
        }
    }

    /// A string of sessions each cut after a few lines still gets everything across, every session
    /// making progress (bounded: at most 60 sessions for 23 operations in batches of 3).
    @Test(.timeLimit(.minutes(6))) func repeatedlyCutSessionsStillConverge() async throws {
        try await withTestHub(transport: .plaintext, limits: Self.limits) { hub in
            let (anna, ben) = try await Self.prepare(hub)
            var rng = SeededGenerator(seed: 42)
            var sessions = 0
            var finished = false
            while !finished, sessions < 60 {
                sessions += 1
                do {
                    // At least hello, welcome and one batch; at most one whole direction.
                    _ = try await hub.client(for: anna, limits: Self.limits, maxLines: Int.random(in: 4...8, using: &rng)).sync()
                    finished = true
                } catch SyncError.cutOff {
                    #expect(try await hub.registry.waitUntilDisconnected(anna.node))
                }
            }
            #expect(finished, "no session completed in \(sessions)")
            #expect(sessions > 3, "the cuts should have interrupted several sessions")
            try await hub.sync(ben, limits: Self.limits)
            try expectConverged([hub.store, anna.store, ben.store])
            #expect(try anna.store.operationLog().count == 23)
        }
    }
}
