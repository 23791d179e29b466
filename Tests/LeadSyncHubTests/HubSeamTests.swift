import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncProtocol
import LeadSyncTestSupport
import NIOPosix
import Testing

/// The SQLite hub used only through the seam (`HubStore & HubAdministration`), as the hub
/// commands and the server use it: nodes, settings and the shared push rules.
@Suite struct HubSeamTests {
    static func withSeam(_ body: (any HubStore & HubAdministration) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("seam")
        let home = try HubHome.initialize(at: directory.url)
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        do {
            try await body(try SQLiteHubStore(home: home, threadPool: threadPool, serving: false))
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
        try await threadPool.shutdownGracefully()
    }

    @Test func nodesAreAddedAuthenticatedAndRevokedThroughTheSeam() async throws {
        try await Self.withSeam { hub in
            let node = try NodeID(validating: "anna")
            let token = try await hub.addNode(node, reissue: false)
            #expect(try await hub.authenticate(node: node, token: token) == .accepted)
            #expect(try await hub.nodes().map(\.node) == [node])
            try await hub.revokeNode(node)
            #expect(try await hub.authenticate(node: node, token: token) == .revoked)
            #expect(try await hub.status().nodes.first?.revoked == true)
        }
    }

    @Test func settingsArePublishedAsTheHubsOwnOperationsOnce() async throws {
        try await Self.withSeam { hub in
            #expect(try await hub.replicatedSetting("rules") == nil)
            let op = try #require(try await hub.publishSetting(name: "rules", value: "# rules\n"))
            #expect(op.origin.node == .hub)
            #expect(op.record == .settings)
            #expect(try await hub.publishSetting(name: "rules", value: "# rules\n") == nil)
            #expect(try await hub.replicatedSetting("rules") == "# rules\n")
            #expect(try await hub.clock()[op.origin] == op.seq)
        }
    }

    @Test func aReplicaPushingASettingOrAnotherNodesOperationIsRefused() async throws {
        try await Self.withSeam { hub in
            let node = try NodeID(validating: "anna")
            _ = try await hub.addNode(node, reissue: false)
            let actor = try ActorID(validating: "anna~aaaa")
            let setting = Op(
                origin: actor, seq: 1, deps: VectorClock(), hlc: HLC(wallMillis: 1_800_000_000_000), record: .settings,
                change: .setting(name: "rules", value: "x"))
            do {
                _ = try await hub.apply([setting], bodies: nil, from: node)
                Issue.record("a replica pushed a setting")
            } catch let error as ProtocolError {
                #expect(error.code == .invalidOp)
                #expect(error.message.contains("only the hub writes settings"))
            } catch {
                Issue.record("unexpected \(error)")
            }
            var rng = SeededGenerator(seed: 1)
            let foreign = Op(
                origin: try ActorID(validating: "ben~bbbb"), seq: 1, deps: VectorClock(), hlc: HLC(wallMillis: 1_800_000_000_000),
                record: RecordID.random(using: &rng), change: .create(fields: [:], stage: .lead, tags: []))
            do {
                _ = try await hub.apply([foreign], bodies: nil, from: node)
                Issue.record("a node pushed another node's operation")
            } catch let error as ProtocolError {
                #expect(error.code == .foreignOrigin)
            } catch {
                Issue.record("unexpected \(error)")
            }
            #expect(try await hub.clock() == VectorClock())
        }
    }
}
