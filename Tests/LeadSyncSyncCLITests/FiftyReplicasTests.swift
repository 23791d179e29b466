import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Fifty replicas (file stores in temp homes) sync concurrently against one in-process hub: all
/// converge, and `hub status` — the library's and `leadsync hub status --json` on the hub's home —
/// shows every node with zero lag.
@Suite struct FiftyReplicasTests {
    static let replicaCount = 50
    static let leadsPerReplica = 5

    @Test(.timeLimit(.minutes(6))) func fiftyReplicasSyncConcurrentlyAndConverge() async throws {
        let limits = Limits(maxBatchOps: 50, helloTimeoutMillis: 30_000, idleTimeoutMillis: 60_000, maxConnections: 64)
        try await withTestHub(transport: .tls, limits: limits) { hub in
            // Opening fifty SQLite files is blocking work: off the cooperative pool.
            let (replicas, shared) = try await onDedicatedThread {
                let replicas = try (0..<Self.replicaCount).map { try hub.addReplica(String(format: "rep%02d", $0)) }
                let shared = try replicas[0].store.add(fields: [
                    "first_name": "Jürgen", "last_name": "Müller", "company": "Müller Maschinenbau GmbH", "city": "Hannover",
                ])
                return (replicas, shared)
            }
            try await hub.sync(replicas[0])
            // Everyone fetches the shared lead at once.
            #expect(try await Self.syncAll(replicas, hub: hub).received == Self.replicaCount - 1)

            // Offline: every rep captures leads and edits the shared lead's phone (concurrently with
            // all the others), tags it and adds a note.
            try await onDedicatedThread {
                for (index, replica) in replicas.enumerated() {
                    try replica.addLeads(Self.leadsPerReplica)
                    try replica.store.commit(.set([.standard(.phone): "+49 511 \(100_000 + index)"]), to: shared)
                    try replica.store.commit(.tag(["team-\(index % 3)"]), to: shared)
                    try replica.store.commit(.note("\(replica.node) spoke with him at the booth"), to: shared)
                }
            }
            let perReplica = Self.leadsPerReplica + 3
            let total = 1 + Self.replicaCount * perReplica

            let first = try await Self.syncAll(replicas, hub: hub)
            #expect(first.sent == Self.replicaCount * perReplica)
            _ = try await Self.syncAll(replicas, hub: hub)
            let final = try await Self.syncAll(replicas, hub: hub)
            #expect(final.sent == 0 && final.received == 0, "the final round found nothing left to move")

            let differences = try await onDedicatedThread {
                let hubState = try ReplicaState(hub.store)
                return try replicas.map { try ReplicaState($0.store).differences(from: hubState) }
            }
            for (index, difference) in differences.enumerated() {
                #expect(difference.isEmpty, "replica \(index) vs hub: \(difference.joined(separator: "; "))")
            }
            #expect(try hub.store.counts().operations == total)
            // One phone won; the 49 concurrent values it beat are kept as conflicts.
            #expect(try hub.store.conflicts(for: shared).count == Self.replicaCount - 1)

            let status = try SQLiteHubStore.status(store: hub.store, registry: hub.registry)
            #expect(status.nodes.count == Self.replicaCount)
            #expect(status.operations == total)
            for node in status.nodes {
                #expect(node.lag == 0, "\(node.node) lags \(node.lag)")
                #expect(node.lastSyncAt != nil && !node.connected && !node.revoked, "\(node.node)")
                #expect(node.opsReceived == Int64(perReplica + (node.node == "rep00" ? 1 : 0)), "\(node.node)")
            }
            for replica in replicas {
                #expect(try SyncStatus.load(store: replica.store).unacknowledged == 0)
            }

            // The operator's view: `leadsync hub status --json` on the hub's home (the hub still serving).
            let cli = try await onDedicatedThread {
                try LeadSyncBinary.run(["hub", "status", "--json", "--home", hub.directory.path])
            }
            #expect(cli.succeeded, "\(cli.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
            #expect(report["operations"] as? Int == total)
            let nodes = try #require(report["nodes"] as? [[String: Any]])
            #expect(nodes.count == Self.replicaCount)
            #expect(nodes.allSatisfy { $0["lag"] as? Int == 0 }, "\(nodes.filter { $0["lag"] as? Int != 0 })")
            #expect(nodes.allSatisfy { $0["last_sync_at"] is Int })
        }
    }

    /// One round: every replica syncs at the same time. Returns the operations moved.
    static func syncAll(_ replicas: [TestReplica], hub: TestHub) async throws -> (sent: Int, received: Int) {
        try await withThrowingTaskGroup(of: SyncSummary.self) { group in
            for replica in replicas {
                group.addTask { try await hub.sync(replica) }
            }
            var moved = (sent: 0, received: 0)
            for try await summary in group {
                moved.sent += summary.sent
                moved.received += summary.received
            }
            return moved
        }
    }
}
