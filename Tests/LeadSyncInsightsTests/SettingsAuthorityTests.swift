import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncInsights
import LeadSyncNetwork
import LeadSyncProtocol
import LeadSyncReplication
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Only the hub writes replicated settings (the rules): the hub refuses a setting pushed by a
/// replica, every store refuses one not authored by the hub, and the name `hub` is reserved.
@Suite(.serialized) struct SettingsAuthorityTests {
    /// A raw session of the registered node `mallory` pushing one operation; returns the last line.
    static func push(_ op: String, hub: TestHub, token: String) async throws -> (RawExchange, Message) {
        let hello = #"{"type":"hello","protocol":1,"node":"mallory","actor":"mallory~abc123","token":"\#(token)","clock":{},"wall":1700000000000}"#
        let ops = #"{"type":"ops","ops":[\#(op)]}"#
        let exchange = try await RawLineClient.exchange(port: hub.port, sending: [hello + "\n" + ops + "\n"])
        let last = try #require(exchange.lines.last, "no answer")
        return (exchange, try LineCodec.decode(Array(last.utf8)))
    }

    @Test func hubRefusesASettingPushedByAReplica() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let token = try hub.registry.addNode(NodeID(validating: "mallory"))
            let before = try hub.snapshot()
            let setting = #"{"origin":"mallory~abc123","seq":1,"hlc":[1700000000000,0],"record":"\#(RecordID.settings)","action":"setting","name":"rules","value":"points 1000 company present"}"#
            let (exchange, answer) = try await Self.push(setting, hub: hub, token: token)
            #expect(exchange.closedByPeer)
            guard case .error(let error) = answer else {
                Issue.record("expected an error, got \(answer)")
                return
            }
            #expect(error.code == .invalidOp)
            #expect(error.message.contains("only the hub"), "\(error.message)")
            #expect(try hub.snapshot() == before)
            #expect(try hub.store.replicatedSetting("rules") == nil)

            // Disguised as an ordinary action on the settings record: refused all the same.
            let create = #"{"origin":"mallory~abc123","seq":1,"hlc":[1700000000000,0],"record":"\#(RecordID.settings)","action":"create","fields":{"last_name":"Eve"},"stage":"lead"}"#
            let (_, second) = try await Self.push(create, hub: hub, token: token)
            #expect(second == .error(ProtocolError(.invalidOp, errorMessage(second))))
            #expect(try hub.snapshot() == before)
        }
    }

    func errorMessage(_ message: Message) -> String {
        if case .error(let error) = message { return error.message }
        return ""
    }

    @Test func storesRefuseSettingsNotAuthoredByTheHub() throws {
        let replica = try Store.inMemory()
        try replica.initialize(node: NodeID(validating: "anna"))
        // A replica cannot write a setting locally…
        #expect(throws: StoreError.self) {
            try replica.commit(.setting(name: "rules", value: "points 5 company present"), to: .settings)
        }
        // …nor receive one from another replica's actor, nor a setting on an ordinary lead.
        let ben = try ActorID(validating: "ben~x1")
        let forged = Op(
            origin: ben, seq: 1, deps: VectorClock(), hlc: HLC(wallMillis: 1_700_000_000_000), record: .settings,
            change: .setting(name: "rules", value: "points 5 company present"))
        #expect(throws: StoreError.self) { try replica.apply([forged]) }
        let lead = try replica.add(fields: ["last_name": "Muster"])
        let hubActor = try ActorID(validating: "hub~h1")
        let onLead = Op(
            origin: hubActor, seq: 1, deps: VectorClock(), hlc: HLC(wallMillis: 1_700_000_000_000), record: lead,
            change: .setting(name: "rules", value: "points 5 company present"))
        #expect(throws: StoreError.self) { try replica.apply([onLead]) }
        #expect(try replica.replicatedSetting("rules") == nil)
        // The hub's own setting is accepted.
        let fromHub = Op(
            origin: hubActor, seq: 1, deps: VectorClock(), hlc: HLC(wallMillis: 1_700_000_000_000), record: .settings,
            change: .setting(name: "rules", value: "points 5 company present"))
        #expect(try replica.apply([fromHub]).applied == 1)
        #expect(try replica.replicatedSetting("rules") == "points 5 company present")
    }

    @Test func theHubNodeNameIsReserved() throws {
        let registry = try NodeRegistry.inMemory()
        #expect(throws: RegistryError.reservedNode("hub")) { _ = try registry.addNode(.hub) }
    }

    @Test func hubInitGivesTheHubItsOwnActor() throws {
        let directory = try TemporaryDirectory("hub-identity")
        let home = try HubHome.initialize(at: directory.url)
        let identity = try #require(try home.openStore().identity())
        #expect(identity.node == .hub)
        #expect(identity.actor.node == .hub)
        #expect(try home.openStoreForWriting().identity == identity)
    }

    @Test func aHubWithoutIdentityGetsOneForItsFirstWrite() throws {
        let directory = try TemporaryDirectory("old-hub")
        let home = HubHome(directory: directory.url)
        _ = try home.openRegistry()
        _ = try home.openStore()  // as `hub init` made it before hubs had an actor
        #expect(try home.openStore().identity() == nil)
        let (store, identity) = try home.openStoreForWriting()
        #expect(identity.node == .hub)
        let outcome = try RulesPublisher.publish("threshold mql 40\n", name: "rules.txt", to: store)
        guard case .published(let op, _) = outcome else {
            Issue.record("not published: \(outcome)")
            return
        }
        // Every setting gets an actor of its own (see HubRestoreRulesTests), which becomes the hub's.
        #expect(op.origin.node == .hub && op.origin != identity.actor)
        #expect(try store.identity()?.actor == op.origin)
        #expect(op.record == .settings)
    }
}
