import Foundation
import GRDB
import LeadSyncCore
import LeadSyncInsights
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// A hub restored from a backup taken before its last `rules set` still reaches its replicas with
/// the next one: every setting is written by a new actor of node `hub`, so its number cannot be
/// one the replicas already hold for the rules the restored hub lost.
@Suite struct HubRestoreRulesTests {
    static func rules(_ points: Int) -> String { "points \(points) company present\n" }

    static func replicate(from: Store, to: Store) throws {
        _ = try to.apply(try from.operations(missingFrom: try to.clock()))
    }

    @Test func rulesSetAfterARestoreReachReplicasThatHadNewerRules() throws {
        let directory = try TemporaryDirectory("hub-restore")
        let hubPath = directory.appending("hub.sqlite").path
        let backupPath = directory.appending("backup.sqlite").path
        let hub = try Store.open(path: hubPath)
        _ = try hub.initialize(node: .hub)
        let replica = try Store.inMemory()
        _ = try replica.initialize(node: NodeID(validating: "anna"))

        _ = try RulesPublisher.publish(Self.rules(10), name: "rules.txt", to: hub)
        try Self.replicate(from: hub, to: replica)
        try DatabaseQueue(path: hubPath).writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [backupPath]) }
        _ = try RulesPublisher.publish(Self.rules(20), name: "rules.txt", to: hub)
        try Self.replicate(from: hub, to: replica)
        #expect(try replica.replicatedSetting(ActiveRules.settingName) == Self.rules(20))

        // The hub is restored from the backup, which lacks the second rules, and sets new ones.
        let restored = try Store.open(path: backupPath)
        let outcome = try RulesPublisher.publish(Self.rules(30), name: "rules.txt", to: restored)
        guard case .published(let op, _) = outcome else {
            Issue.record("not published: \(outcome)")
            return
        }
        #expect(op.origin.node == .hub && op.seq == 1)
        try Self.replicate(from: restored, to: replica)
        #expect(try replica.replicatedSetting(ActiveRules.settingName) == Self.rules(30))
        #expect(try restored.replicatedSetting(ActiveRules.settingName) == Self.rules(30))
        #expect(try restored.identity()?.actor == op.origin)
    }
}
