import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncStore
import LeadSyncTestSupport
import Testing

@Suite struct NodeRegistryTests {
    let anna = try! NodeID(validating: "anna")

    @Test func tokensAuthenticateAndOnlyTheirHashIsStored() throws {
        let directory = try TemporaryDirectory("registry")
        let path = directory.appending("nodes.sqlite").path
        let registry = try NodeRegistry.open(path: path)
        let token = try registry.addNode(anna)
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try registry.authenticate(node: anna, token: token) == .accepted)
        // A leading '-' would make `--token <token>` read as an option on a command line.
        #expect((0..<2_000).allSatisfy { _ in !NodeToken.generate().hasPrefix("-") })
        #expect(try registry.authenticate(node: anna, token: token + "x") == .wrongToken)
        #expect(try registry.authenticate(node: NodeID(validating: "ben"), token: token) == .unknownNode)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        #expect(bytes.range(of: Data(NodeToken.hash(token).utf8)) != nil)
    }

    @Test func revokeAndReissue() throws {
        let registry = try NodeRegistry.inMemory()
        let token = try registry.addNode(anna)
        #expect(throws: RegistryError.nodeExists("anna")) { try registry.addNode(anna) }
        try registry.revokeNode(anna)
        #expect(try registry.authenticate(node: anna, token: token) == .revoked)
        #expect(try registry.authenticate(node: anna, token: "other") == .wrongToken)
        let fresh = try registry.addNode(anna, reissue: true)
        #expect(fresh != token)
        #expect(try registry.authenticate(node: anna, token: fresh) == .accepted)
        #expect(try registry.authenticate(node: anna, token: token) == .wrongToken)
        #expect(throws: RegistryError.unknownNode("ben")) { try registry.revokeNode(NodeID(validating: "ben")) }
    }

    @Test func sessionStatistics() throws {
        let clock = Clock(5_000)
        let registry = try NodeRegistry.inMemory(now: { clock.value })
        _ = try registry.addNode(anna)
        let actor = try ActorID(validating: "anna~x")
        try registry.sessionStarted(node: anna, address: "127.0.0.1:5000", skewMillis: -1_200, clock: VectorClock([actor: 2]))
        #expect(try registry.node(anna)?.connected == 1)
        try registry.recordOpsReceived([anna: 7])
        try registry.recordAcknowledged(node: anna, clock: VectorClock([actor: 9]))
        clock.value = 6_000
        try registry.sessionEnded(node: anna, succeeded: true)
        let record = try #require(try registry.node(anna))
        #expect(record.connected == 0)
        #expect(record.opsReceived == 7)
        #expect(record.acknowledgedClock == VectorClock([actor: 9]))
        #expect(record.lastSyncAt == 6_000)
        #expect(record.lastAddress == "127.0.0.1:5000")
        #expect(record.skewMillis == -1_200)
        try registry.sessionStarted(node: anna, address: nil, skewMillis: 0, clock: VectorClock())
        try registry.resetConnections()
        #expect(try registry.node(anna)?.connected == 0)
        try registry.sessionStarted(node: anna, address: nil, skewMillis: 0, clock: VectorClock())
        clock.value = 7_000
        try registry.sessionEnded(node: anna, succeeded: false)
        #expect(try registry.node(anna)?.lastSyncAt == 6_000)
    }

    @Test func lagCountsWhatTheNodeHasNotAcknowledged() throws {
        let a = try ActorID(validating: "a~1")
        let b = try ActorID(validating: "b~1")
        #expect(NodeStatus.lag(hub: VectorClock([a: 10, b: 4]), acknowledged: VectorClock([a: 7, b: 9])) == 3)
        #expect(NodeStatus.lag(hub: VectorClock([a: 10]), acknowledged: VectorClock()) == 10)
    }

    @Test func hubHomeIsCreatedOnceAndNeverGuessed() throws {
        let directory = try TemporaryDirectory("hubhome")
        let home = try HubHome.initialize(at: directory.appending("hub"))
        #expect(FileManager.default.fileExists(atPath: home.storePath))
        // The hub's store has its own actor (node `hub`), the author of replicated settings.
        #expect(try home.openStore().identity()?.node == .hub)
        #expect(throws: RegistryError.self) { try HubHome.initialize(at: directory.appending("hub")) }
        #expect(throws: RegistryError.notAHub(directory.appending("elsewhere").path)) {
            try HubHome.existing(at: directory.appending("elsewhere"))
        }
        let id = try home.openRegistry().hubID()
        #expect(id.hasPrefix("hub-"))
        #expect(try HubHome.existing(at: directory.appending("hub")).openRegistry().hubID() == id)
    }
}

final class Clock: @unchecked Sendable {
    var value: Int64
    init(_ value: Int64) { self.value = value }
}
