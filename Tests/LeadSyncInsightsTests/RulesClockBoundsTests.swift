import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncInsights
import LeadSyncReplication
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// `hub rules set` writes with the hub's HLC. Even a hub that took in the largest timestamp any
/// receiver accepts (or one stored before the bounds existed) writes a setting every replica takes.
@Suite struct RulesClockBoundsTests {
    static let rules = "threshold hot 50\npoints 10 company present\n"

    @Test(arguments: [HLC.max, HLC(wallMillis: HLC.maxWallMillis, counter: 0)])
    func aHubAtTheLargestClockStillWritesSettingsReplicasTake(_ seen: HLC) throws {
        let directory = try TemporaryDirectory("rules-bounds")
        let home = try HubHome.initialize(at: directory.url)
        let (store, _) = try home.openStoreForWriting()
        let record = try RecordID(validating: "0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b")
        let hostile = Op(
            origin: try ActorID(validating: "mallory~m1"), seq: 1, deps: VectorClock(), hlc: seen, record: record,
            change: .create(fields: [.standard(.lastName): "Max"], stage: .lead, tags: []))
        // Straight into the store: what a hub that accepted it before the clock policy holds.
        #expect(try store.apply([hostile]).applied == 1)
        for round in 0..<3 {
            let outcome = try RulesPublisher.publish(Self.rules + "# \(round)\n", name: "rules.txt", to: store)
            guard case .published(let op, _) = outcome else { Issue.record("not published"); return }
            #expect(op.hlc >= seen && op.hlc <= HLC.max)
            let text = Array(op.json.utf8)
            #expect(text.withUnsafeBufferPointer(OpParser.op(in:)) == op, "a replica's fast path takes it")
            #expect(try JSONDecoder().decode(Op.self, from: Data(text)) == op)
        }
        let replica = try Store.inMemory(now: { 1_000 })
        try replica.initialize(node: NodeID(validating: "anna"))
        #expect(try replica.apply(try store.operations(missingFrom: VectorClock())).applied == 4)
        #expect(try replica.replicatedSetting("rules") == Self.rules + "# 2\n")
        let edit = try replica.commit(.set([.standard(.city): "Berlin"]), to: record)
        #expect(edit.hlc <= HLC.max && edit.hlc.packed >= 0)
    }
}
