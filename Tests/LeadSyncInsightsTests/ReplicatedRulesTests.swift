import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncInsights
import LeadSyncNetwork
import LeadSyncRules
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Rules set on a live in-process hub reach replicas through sync; scores follow them.
@Suite struct ReplicatedRulesTests {
    static let rules = """
        threshold warm 20
        threshold hot 50
        threshold mql 40
        points 10 company present
        points 30 activity demo_request
        points 5  activity download each max 15
        route anna country is DE
        """

    @Test func rulesReachReplicasAndChangeTheirScores() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            let ben = try hub.addReplica("ben")
            let id = try anna.store.add(fields: ["last_name": "Muster", "company": "Acme", "email": "m@acme.example"])
            for _ in 0..<4 { try anna.store.commit(.activity(ActivityEntry(type: .download, text: "")), to: id) }
            try await hub.sync(anna)
            try await hub.sync(ben)
            let lead = try #require(try ben.store.lead(id))

            // Built-in rules first: company 10, downloads 5 × 3 (max 15), any activity today 10.
            let before = LeadScorer(rules: try ActiveRules.load(from: ben.store))
            #expect(before.rules.source == .builtIn)
            #expect(try before.score(lead, in: ben.store).total == 35)

            let outcome = try RulesPublisher.publish(Self.rules, name: "rules.txt", to: hub.store)
            guard case .published(let op, _) = outcome else {
                Issue.record("not published")
                return
            }
            #expect(op.origin.node == .hub)
            #expect(try RulesPublisher.publish(Self.rules, name: "rules.txt", to: hub.store) == .unchanged(outcome.rules))
            // Not before the next sync…
            #expect(try ActiveRules.load(from: ben.store).source == .builtIn)
            let summary = try await hub.sync(ben)
            #expect(summary.received == 1)
            let after = LeadScorer(rules: try ActiveRules.load(from: ben.store))
            #expect(after.rules.source == .hub)
            let report = try after.score(lead, in: ben.store)
            #expect(report.total == 10 + 15)
            #expect(report.temperature == .warm)
            #expect(report.lines.map(\.line) == [4, 6])
            #expect(report.lines.reduce(0) { $0 + $1.points } == report.total)

            // The same rules and data give the same score on the other replica and on the hub.
            try await hub.sync(anna)
            for store in [anna.store, hub.store] {
                let scorer = LeadScorer(rules: try ActiveRules.load(from: store))
                #expect(try scorer.score(lead, in: store) == report)
                #expect(try scorer.scores(try store.leads(), in: store)[id] == report)
            }

            // Routing on capture uses them too.
            let routed = try LeadCapture.add(to: ben.store, fields: ["last_name": "Neu", "country": "DE"])
            #expect(routed.route == RoutedOwner(owner: "anna", line: 7))
            #expect(try ben.store.lead(routed.id)?[.owner] == "anna")
            let given = try LeadCapture.add(to: ben.store, fields: ["last_name": "Alt", "country": "DE", "owner": "ben"])
            #expect(given.route == nil)
            #expect(try ben.store.lead(given.id)?[.owner] == "ben")
        }
    }

    @Test func unparsableReplicatedRulesFallBackToTheBuiltInOnes() async throws {
        try await withTestHub(transport: .plaintext) { hub in
            let anna = try hub.addReplica("anna")
            // `hub rules set` refuses such a file; a newer hub might send one this version cannot read.
            try hub.store.commit(.setting(name: "rules", value: "points 5 future_field is 3\n"), to: .settings)
            try await hub.sync(anna)
            let active = try ActiveRules.load(from: anna.store)
            guard case .unusable(let error) = active.source else {
                Issue.record("expected unusable rules, got \(active.source)")
                return
            }
            #expect(error.line == 1)
            #expect(error.token == "future_field")
            #expect(active.rules == Rules.default)
            let id = try anna.store.add(fields: ["last_name": "Muster", "company": "Acme"])
            let lead = try #require(try anna.store.lead(id))
            #expect(try LeadScorer(rules: active).score(lead, in: anna.store).total == 10 - 10)
        }
    }

    @Test func publishingRefusesABadFileAndWritesNothing() throws {
        let directory = try TemporaryDirectory("hub-rules")
        let home = try HubHome.initialize(at: directory.url)
        let (store, _) = try home.openStoreForWriting()
        let before = try store.counts().operations
        #expect {
            try RulesPublisher.publish("threshold warm 30\npoints 5 jobtitle present\n", name: "rules.txt", to: store)
        } throws: { error in
            guard case .invalid(let failure) = error as? RulesPublishError else { return false }
            return failure.line == 2 && failure.token == "jobtitle" && failure.description.hasPrefix("rules.txt line 2:")
        }
        let large = String(repeating: "# padding\n", count: RulesPublisher.maxBytes / 10 + 1)
        #expect(throws: RulesPublishError.self) { try RulesPublisher.publish(large, name: "big.txt", to: store) }
        #expect(try store.counts().operations == before)

        // A replica's store is not the hub's.
        let replica = try Store.inMemory()
        try replica.initialize(node: NodeID(validating: "anna"))
        #expect(throws: RulesPublishError.self) { try RulesPublisher.publish("threshold mql 10\n", name: "r", to: replica) }
    }
}
