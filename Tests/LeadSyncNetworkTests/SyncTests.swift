import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS
import LeadSyncTestSupport
import NIOCore
import Testing

@Suite struct SyncTests {
    @Test func opsFlowBothWaysAndReplicasConverge() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            try anna.addLeads(3)
            try ben.addLeads(2)
            let first = try await hub.sync(anna)
            #expect(first.sent == 3 && first.received == 0)
            let second = try await hub.sync(ben)
            #expect(second.sent == 2 && second.received == 3)
            let third = try await hub.sync(anna)
            #expect(third.sent == 0 && third.received == 2)
            try expectConverged([anna.store, ben.store, hub.store])
            #expect(try anna.store.leads().count == 5)
        }
    }

    @Test func concurrentEditsConflictIdenticallyEverywhere() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let replicas = try ["anna", "ben", "cleo"].map(hub.addReplica)
            let id = try replicas[0].store.add(fields: ["last_name": "Muster", "company": "Acme"])
            for replica in replicas { try await hub.sync(replica) }
            for (index, replica) in replicas.enumerated() {
                try replica.store.commit(.set([.standard(.city): "City \(index)"]), to: id)
                try replica.store.commit(.stage(index == 1 ? .sql : .mql), to: id)
                try replica.store.commit(.note("met at booth \(index)"), to: id)
            }
            try replicas[2].store.commit(.tag(["vip"]), to: id)
            try replicas[1].store.commit(.untag(["vip"]), to: id)
            for replica in replicas { try await hub.sync(replica) }
            for replica in replicas { try await hub.sync(replica) }
            try expectConverged(replicas.map(\.store) + [hub.store])
            let lead = try #require(try hub.store.lead(id))
            #expect(lead.stage == .sql)
            #expect(try hub.store.conflicts().count == 2)
            // A causally later write resolves the conflict everywhere.
            try replicas[0].store.commit(.set([.standard(.city): "Berlin"]), to: id)
            for replica in replicas { try await hub.sync(replica) }
            try expectConverged(replicas.map(\.store) + [hub.store])
            #expect(try replicas[2].store.conflicts().isEmpty)
        }
    }

    @Test func smallBatchesPageBothDirections() async throws {
        try await withTestHub(transport: .plaintext, limits: Limits(maxBatchOps: 5, maxBatchBytes: 1_200)) { hub in
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            try anna.addLeads(53)
            try ben.addLeads(21)
            let tiny = Limits(maxBatchOps: 5, maxBatchBytes: 1_200)
            let pushed = try await hub.sync(anna, limits: tiny)
            #expect(pushed.sent == 53)
            let both = try await hub.sync(ben, limits: tiny)
            #expect(both.sent == 21 && both.received == 53)
            try await hub.sync(anna, limits: tiny)
            try expectConverged([anna.store, ben.store, hub.store])
        }
    }

    /// With a decode budget of one byte the hub decodes one line at a time across all sessions:
    /// six replicas pushing at once, in small batches, are served in turn, and all converge.
    @Test func aTinyDecodeBudgetServesEverySessionInTurn() async throws {
        let tiny = Limits(maxBatchOps: 5, maxBatchBytes: 1_200)
        try await withTestHub(transport: .plaintext, limits: tiny, decodeBudgetBytes: 1) { hub in
            let replicas = try (0..<6).map { try hub.addReplica("rep\($0)") }
            for (index, replica) in replicas.enumerated() { try replica.addLeads(12 + index) }
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for replica in replicas {
                    group.addTask { try await hub.sync(replica, limits: tiny).sent }
                }
                return try await group.reduce(0, +)
            }
            #expect(sent == (0..<6).map { 12 + $0 }.reduce(0, +))
            for replica in replicas { try await hub.sync(replica, limits: tiny) }
            try expectConverged(replicas.map(\.store) + [hub.store])
        }
    }

    @Test func syncStatusCountsUnacknowledgedOps() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            try anna.addLeads(4)
            let before = try SyncStatus.load(store: anna.store)
            #expect(before.unacknowledged == 4)
            #expect(before.lastSyncAt == nil)
            try await hub.sync(anna)
            let after = try SyncStatus.load(store: anna.store)
            #expect(after.unacknowledged == 0)
            #expect(after.lastSyncAt != nil)
            #expect(after.hub == (try hub.registry.hubID()))
            try anna.addLeads(1, prefix: "late")
            #expect(try SyncStatus.load(store: anna.store).unacknowledged == 1)
        }
    }

    @Test func hubRecordsPerNodeStatistics() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            try anna.addLeads(3)
            try await hub.sync(anna)
            try await hub.sync(ben)
            try anna.addLeads(2, prefix: "more")
            try await hub.sync(anna)
            let status = try SQLiteHubStore.status(store: hub.store, registry: hub.registry)
            let annaStatus = try #require(status.nodes.first { $0.node == "anna" })
            let benStatus = try #require(status.nodes.first { $0.node == "ben" })
            #expect(annaStatus.opsReceived == 5)
            #expect(annaStatus.lag == 0)
            #expect(annaStatus.lastSyncAt != nil)
            #expect(annaStatus.lastAddress?.hasPrefix("127.0.0.1:") == true)
            #expect(!annaStatus.connected)
            #expect(annaStatus.skewMillis.map { abs($0) < 60_000 } == true)
            #expect(benStatus.lag == 2)
            #expect(status.operations == 5)
        }
    }

    /// A session cut after every possible number of lines loses nothing: the next full sync converges.
    @Test func cutSessionsResumeAndConverge() async throws {
        try await withTestHub(transport: .plaintext, limits: Limits(maxBatchOps: 4)) { hub in
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            try anna.addLeads(12)
            try ben.addLeads(9)
            try await hub.sync(ben)
            let tiny = Limits(maxBatchOps: 4)
            for cut in 0..<12 {
                do {
                    _ = try await hub.client(for: anna, limits: tiny, maxLines: cut).sync()
                } catch SyncError.cutOff {
                    // expected for every cut inside the session
                }
            }
            try await hub.sync(anna, limits: tiny)
            try await hub.sync(ben, limits: tiny)
            try expectConverged([anna.store, ben.store, hub.store])
        }
    }

    @Test func wrongTokenAndRevokedNodeAreRefused() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            try anna.addLeads(1)
            let forged = anna.with(token: "not-the-token")
            await #expect(throws: SyncError.refused(ProtocolError(.unauthorized, "unknown node 'anna' or wrong token"))) {
                try await hub.client(for: forged).sync()
            }
            try hub.registry.revokeNode(anna.node)
            do {
                _ = try await hub.sync(anna)
                Issue.record("a revoked node synced")
            } catch SyncError.refused(let error) {
                #expect(error.code == .revoked)
            }
            #expect(try hub.store.counts().operations == 0)
        }
    }

    @Test func unreachableHubSaysDataIsSafe() async throws {
        var port = 0
        try await withTestHub(transport: .plaintext) { hub in port = hub.port }
        let replica = try TestReplica(node: NodeID(validating: "anna"), token: "t")
        let client = SyncClient(
            store: replica.store,
            configuration: SyncConfiguration(host: "127.0.0.1", port: port, token: "t", transport: .plaintext, connectTimeout: .seconds(2)),
            logger: .quiet)
        do {
            _ = try await client.sync()
            Issue.record("sync to a closed port succeeded")
        } catch {
            guard case .unreachable = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("safe locally"))
        }
    }

    @Test func manyReplicasSyncAtOnce() async throws {
        try await withTestHub(transport: .plaintext, limits: Limits(maxBatchOps: 16, maxConnections: 64)) { hub in
            let replicas = try (0..<8).map { try hub.addReplica("rep\($0)") }
            for replica in replicas { try replica.addLeads(20) }
            for round in 0..<2 {
                try await withThrowingTaskGroup(of: SyncSummary.self) { group in
                    for replica in replicas { group.addTask { try await hub.sync(replica) } }
                    var sent = 0
                    for try await summary in group { sent += summary.sent }
                    #expect(sent == (round == 0 ? 160 : 0))
                }
            }
            // After the second round every replica has pulled whatever the first round lacked.
            for replica in replicas { try await hub.sync(replica) }
            try expectConverged(replicas.map(\.store) + [hub.store])
            #expect(try hub.store.counts().operations == 160)
        }
    }

    /// A third-party client need not write operations the way ours do: the hub stores each pushed
    /// operation's text as received and forwards it byte-for-byte (Protocol/README.md, section 5),
    /// and a replica that pulls it stores it as received too.
    @Test func pushedOperationsAreStoredAndForwardedAsWritten() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let token = try hub.registry.addNode(NodeID(validating: "third"))
            let hello = #"{"type":"hello","protocol":1,"node":"third","actor":"third~a1","token":"\#(token)","clock":{},"wall":1}"# + "\n"
            let op = #"{ "seq" : 1, "origin" : "third~a1", "hlc" : [1700000000000, 0], "record" : "0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b", "action" : "create", "stage" : "lead", "fields" : { "last_name" : "Eve" } }"#
            let exchange = try await RawLineClient.exchange(
                port: hub.port, sending: [hello, #"{"type":"ops","ops":[ "# + op + " ]}\n", #"{"type":"done"}"# + "\n"],
                deadline: .seconds(10))
            #expect(exchange.lines.dropFirst().first?.contains(#""type":"ack""#) == true)
            #expect(try hub.store.operationBodies(missingFrom: VectorClock(), limit: .max).map(\.body) == [op])

            let reader = try hub.addReplica("reader")
            let recorder = ResumableSyncTests.Recorder()
            _ = try await hub.client(for: reader, traffic: recorder.record).sync()
            #expect(recorder.received.filter { $0.hasPrefix(#"{"ops":"#) } == [#"{"ops":["# + op + #"],"type":"ops"}"#])
            #expect(try reader.store.leads().map(\.fields["last_name"]) == ["Eve"])
            // The replica keeps the text too, and would forward it unchanged.
            #expect(try reader.store.operationBodies(missingFrom: VectorClock(), limit: .max).map(\.body) == [op])
        }
    }

    @Test func shutdownEndsOpenSessionsCleanly() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let token = try hub.registry.addNode(NodeID(validating: "idle"))
            let hello = #"{"type":"hello","protocol":1,"node":"idle","actor":"idle~a1","token":"\#(token)","clock":{},"wall":1}"# + "\n"
            async let session = RawLineClient.exchange(port: hub.port, sending: [hello], deadline: .seconds(10))
            // Shut down only once the session is established (bounded wait).
            let idle = try NodeID(validating: "idle")
            for _ in 0..<200 where try hub.registry.node(idle)?.connected != 1 {
                try await Task.sleep(for: .milliseconds(25))
            }
            await hub.server.shutdown()
            let exchange = try await session
            #expect(exchange.closedByPeer)
            #expect(exchange.lines.count == 2)
            #expect(exchange.lines.first?.contains(#""type":"welcome""#) == true)
            #expect(exchange.lines.last?.contains(#""code":"shutting_down""#) == true)
        }
    }

    @Test func wallClockSkewIsReportedBothSides() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            let tenMinutes: Int64 = 10 * 60 * 1000
            let client = SyncClient(
                store: anna.store,
                configuration: SyncConfiguration(host: "127.0.0.1", port: hub.port, token: anna.token, transport: hub.clientTransport),
                logger: .quiet,
                now: { Store.systemMillis() - tenMinutes })
            let summary = try await client.sync()
            #expect(summary.skewIsLarge)
            #expect(abs(summary.skewMillis - tenMinutes) < 30_000)
            let recorded = try #require(try hub.registry.node(anna.node)?.skewMillis)
            #expect(abs(recorded + tenMinutes) < 30_000)
        }
    }
}
