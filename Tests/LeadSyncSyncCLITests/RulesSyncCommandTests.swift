import Foundation
import LeadSyncCore
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// Rules set on a serving hub with `hub rules set`, two replicas capturing, scoring, moving stages
/// and syncing through the built binary: every replica and the hub's home agree on scores,
/// temperatures and the funnel.
@Suite(.serialized) struct RulesSyncCommandTests {
    static let rules = """
        # scoring for the e2e test
        threshold warm 20
        threshold hot 50
        threshold mql 40
        points 10 company present
        points 15 job_title contains einkauf
        points 30 activity demo_request
        points 5  activity download each max 15
        points 10 activity any within 30d
        route anna country is DE
        route ben country is AT

        """

    @Test(.timeLimit(.minutes(8))) func rulesScoresAndFunnelAgreeEverywhere() async throws {
        try await onDedicatedThread { try Self.rulesScoresAndFunnelAgreeEverywhere() }
    }

    static func rulesScoresAndFunnelAgreeEverywhere() throws {
        let root = try TemporaryDirectory("rules-e2e")
        let hubHome = root.appending("hub").path
        let annaHome = root.appending("anna").path
        let benHome = root.appending("ben").path
        let cliHub = try CLIHub(home: hubHome)
        let reserved = try LeadSyncBinary.run(["hub", "add-node", "hub", "--home", hubHome])
        #expect(!reserved.succeeded && reserved.stderr.contains("reserved"), "\(reserved.stderr)")
        let anna = try cliHub.addNode("anna")
        let ben = try cliHub.addNode("ben")
        let server = try cliHub.serve()
        defer { server.stop() }

        // A bad rules file is refused with its name, line and key; nothing is written.
        let bad = root.appending("bad-rules.txt").path
        try "threshold warm 20\n\npoints 10 jobtitle present\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try LeadSyncBinary.run(["hub", "rules", "set", bad, "--home", hubHome])
        #expect(!refused.succeeded)
        #expect(refused.stderr.hasPrefix("Error: \(bad) line 3: unknown field 'jobtitle'"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try hubOperations(hubHome) == 0)
        #expect(try ok(["hub", "rules", "show", "--home", hubHome]).hasPrefix("# No rules set on this hub"))
        let missing = try LeadSyncBinary.run(["hub", "rules", "set", root.appending("nope.txt").path, "--home", hubHome])
        #expect(!missing.succeeded && missing.stderr.contains("nope.txt"))

        // Good rules, set while the hub is serving.
        let rulesFile = root.appending("rules.txt").path
        try rules.write(toFile: rulesFile, atomically: true, encoding: .utf8)
        #expect(try ok(["hub", "rules", "set", rulesFile, "--home", hubHome]).contains("5 points rules, 2 routes"))
        #expect(try ok(["hub", "rules", "set", rulesFile, "--home", hubHome]).contains("nothing written"))
        #expect(try ok(["hub", "rules", "show", "--home", hubHome]) == rules)
        #expect(try hubOperations(hubHome) == 1)

        try ok(anna.initArguments(port: server.port) + ["--home", annaHome])
        try ok(ben.initArguments(port: server.port) + ["--home", benHome])
        for home in [annaHome, benHome] { try ok(["sync", "--home", home]) }

        // Capture (routed by the hub's rules), activities, stage paths.
        let l1 = try add(annaHome, ["--last-name", "Eins", "--company", "A", "--title", "Leiter Einkauf", "--country", "DE",
                                    "--source", "badge_scan", "--kind", "prospect"])
        let l2 = try add(annaHome, ["--last-name", "Zwei", "--company", "B", "--country", "AT", "--source", "badge_scan"])
        let l3 = try add(annaHome, ["--last-name", "Drei", "--company", "C", "--source", "form", "--stage", "sql"])
        let l4 = try add(annaHome, ["--last-name", "Vier", "--source", "form"])
        let l5 = try add(benHome, ["--last-name", "Fünf", "--company", "E", "--country", "DE", "--source", "badge_scan"])
        let l6 = try add(benHome, ["--last-name", "Sechs", "--kind", "partner", "--stage", "customer"])
        let l7 = try add(benHome, ["--last-name", "Sieben"])
        let day: Int64 = 86_400_000
        try activity(annaHome, l1, .demoRequest)
        try activity(annaHome, l1, .download)
        try activity(annaHome, l1, .download)
        try activity(annaHome, l2, .download, at: Store.systemMillis() - 40 * day)
        try activity(benHome, l5, .demoRequest)
        for verb in [["qualify"], ["accept"], ["stage", "sql"], ["stage", "opportunity"], ["convert"]] {
            try ok([verb[0], l1] + verb.dropFirst() + ["--home", annaHome])
        }
        for verb in [["qualify"], ["accept"], ["disqualify", "--reason", "no budget"]] {
            try ok([verb[0], l2] + verb.dropFirst() + ["--home", annaHome])
        }
        try ok(["qualify", l4, "--home", annaHome])
        try ok(["stage", l4, "lead", "--home", annaHome])
        try ok(["disqualify", l7, "--reason", "spam", "--home", benHome])
        for home in [annaHome, benHome, annaHome] { try ok(["sync", "--home", home]) }

        // Routing: the owner came from the rules on the capturing replica.
        let owners = try json([ScoredLead].self, ["list", "--home", hubHome])
        let ownerOf = Dictionary(uniqueKeysWithValues: owners.map { ($0.id, $0.fields["owner"]) })
        #expect(ownerOf[l1] == "anna" && ownerOf[l2] == "ben" && ownerOf[l5] == "anna" && ownerOf[l3] == .some(nil))

        // The same scores and temperatures on both replicas and on the hub.
        let expected: [String: (Int, String)] = [
            l1: (10 + 15 + 30 + 10 + 10, "hot"), l5: (10 + 30 + 10, "hot"), l3: (10, "cold"), l4: (0, "cold"), l6: (0, "cold"),
            // The disqualification reason is a note: an activity today. l2's download is 40 days old.
            l2: (10 + 5 + 10, "warm"), l7: (10, "cold"),
        ]
        var lists: [[ScoredLead]] = []
        for home in [annaHome, benHome, hubHome] {
            let listed = try json([ScoredLead].self, ["list", "--sort", "score", "--home", home])
            #expect(listed.count == 7)
            for lead in listed {
                #expect(expected[lead.id].map { $0 == (lead.score, lead.temperature) } == true, "\(lead.id): \(lead.score) \(lead.temperature) on \(home)")
                let score = try json(Score.self, ["score", lead.id, "--home", home])
                #expect(score.score == lead.score && score.temperature == lead.temperature)
                #expect(score.lines.reduce(0) { $0 + $1.points } == score.score)
                #expect(score.rules.source == "hub")
            }
            lists.append(listed)
        }
        #expect(lists[0].map(\.id) == lists[1].map(\.id) && lists[1].map(\.id) == lists[2].map(\.id))
        #expect(lists[0].prefix(3).map(\.id) == [l1, l5, l2])
        let explained = try ok(["score", l1, "--explain", "--home", hubHome])
        #expect(explained.contains("points 15 job_title contains einkauf") && explained.contains("the hub's rules"))

        // The funnel, hand-computed: l6 is a partner (not counted); l1 went all the way; l2 was
        // disqualified after sal; l3 was captured at sql; l4 was qualified and set back; l5 stayed
        // a lead; l7 was disqualified at once.
        for home in [annaHome, benHome, hubHome] {
            let funnel = try json(Funnel.self, ["report", "funnel", "--home", home])
            #expect(funnel.by == "none" && funnel.since == nil)
            #expect(funnel.total == Funnel.Group(key: nil, reached: [6, 4, 3, 2, 1, 1], rates: [4.0 / 6, 3.0 / 4, 2.0 / 3, 1.0 / 2, 1], disqualified: 2))
            #expect(funnel.groups == [funnel.total])
            let bySource = try json(Funnel.self, ["report", "funnel", "--by", "source", "--home", home])
            #expect(bySource.groups == [
                Funnel.Group(key: "badge_scan", reached: [3, 2, 2, 1, 1, 1], rates: [2.0 / 3, 1, 1.0 / 2, 1, 1], disqualified: 1),
                Funnel.Group(key: "form", reached: [2, 2, 1, 1, 0, 0], rates: [1, 1.0 / 2, 1, 0, nil], disqualified: 0),
                Funnel.Group(key: nil, reached: [1, 0, 0, 0, 0, 0], rates: [0, nil, nil, nil, nil], disqualified: 1),
            ])
            #expect(bySource.total == funnel.total)
        }
        let future = try json(Funnel.self, ["report", "funnel", "--since", "2099-01-01", "--home", hubHome])
        #expect(future.total.reached == [0, 0, 0, 0, 0, 0] && future.since == "2099-01-01")
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        #expect(try json(Funnel.self, ["report", "funnel", "--since", today, "--home", hubHome]).total.reached.first == 6)
        let text = try ok(["report", "funnel", "--by", "owner", "--home", hubHome])
        #expect(text.contains("owner 'anna'") && text.contains("66.7%") && text.contains("(none)"))

        // A hub's home can be read, not written.
        for command in [["add", "--last-name", "X"], ["qualify", "--auto"], ["assign", l1, "ben"], ["stage", l1, "sql"]] {
            let result = try LeadSyncBinary.run(command + ["--home", hubHome])
            #expect(!result.succeeded && result.stderr.contains("hub's home"), "\(command): \(result.stderr)")
        }
        let me = try LeadSyncBinary.run(["list", "--owner", "me", "--home", hubHome])
        #expect(!me.succeeded && me.stderr.contains("--owner me"))
        #expect(try ok(["conflicts", "--home", hubHome]) == "0 open conflicts\n")
        #expect(try ok(["history", l1, "--home", hubHome]).contains("opportunity"))

        // New rules on the serving hub reach a replica on its next sync and change its scores.
        let changed = root.appending("rules-2.txt").path
        try rules.replacingOccurrences(of: "points 10 company present", with: "points 25 company present")
            .write(toFile: changed, atomically: true, encoding: .utf8)
        #expect(try json(Score.self, ["score", l3, "--home", annaHome]).score == 10)
        try ok(["hub", "rules", "set", changed, "--home", hubHome])
        #expect(try json(Score.self, ["score", l3, "--home", annaHome]).score == 10, "not before the next sync")
        #expect(try json(Score.self, ["score", l3, "--home", hubHome]).score == 25)
        let synced = try json(SyncOut.self, ["sync", "--home", annaHome])
        #expect(synced.received == 1)
        #expect(try json(Score.self, ["score", l3, "--home", annaHome]).score == 25)
        #expect(try json(Score.self, ["score", l1, "--home", annaHome]).score == 90)
        #expect(try json(Score.self, ["score", l1, "--home", benHome]).score == 75, "ben has not synced yet")
    }

    // MARK: Helpers

    @discardableResult
    static func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try LeadSyncBinary.run(arguments)
        try #require(result.succeeded, "leadsync \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    static func json<T: Decodable>(_ type: T.Type, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try ok(arguments + ["--json"], sourceLocation: sourceLocation).utf8))
    }

    static func add(_ home: String, _ arguments: [String]) throws -> String {
        try ok(["add"] + arguments + ["--home", home]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Logs an activity through the library (the activity command is not this suite's).
    static func activity(_ home: String, _ id: String, _ type: ActivityType, at: Int64? = nil) throws {
        let store = try Store.open(path: home + "/replica.sqlite")
        try store.commit(.activity(ActivityEntry(type: type, text: "", at: at)), to: RecordID(validating: id))
    }

    static func hubOperations(_ hubHome: String) throws -> Int {
        struct Status: Decodable { let operations: Int }
        return try json(Status.self, ["hub", "status", "--home", hubHome]).operations
    }

    struct ScoredLead: Decodable {
        let id: String
        let fields: [String: String]
        let score: Int
        let temperature: String
    }

    struct Score: Decodable {
        struct Line: Decodable { let points: Int }
        struct Rules: Decodable { let source: String }
        let score: Int
        let temperature: String
        let lines: [Line]
        let rules: Rules
    }

    struct SyncOut: Decodable {
        let sent: Int
        let received: Int
    }

    struct Funnel: Decodable {
        struct Group: Decodable, Equatable {
            let key: String?
            let reached: [Int]
            let rates: [Double?]
            let disqualified: Int

            init(key: String?, reached: [Int], rates: [Double?], disqualified: Int) {
                (self.key, self.reached, self.rates, self.disqualified) = (key, reached, rates, disqualified)
            }

            struct Stage: Decodable { let stage: String; let reached: Int }
            struct Step: Decodable { let from: String; let to: String; let rate: Double? }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                key = try container.decode(String?.self, forKey: .key)
                let stages = try container.decode([Stage].self, forKey: .stages)
                #expect(stages.map(\.stage) == ["lead", "mql", "sal", "sql", "opportunity", "customer"])
                reached = stages.map(\.reached)
                #expect(try container.decode(Int.self, forKey: .leads) == reached[0])
                let steps = try container.decode([Step].self, forKey: .conversions)
                #expect(steps.map { "\($0.from)>\($0.to)" } == ["lead>mql", "mql>sal", "sal>sql", "sql>opportunity", "opportunity>customer"])
                rates = steps.map(\.rate)
                disqualified = try container.decode(Int.self, forKey: .disqualified)
            }

            enum CodingKeys: String, CodingKey { case key, leads, stages, conversions, disqualified }
        }

        let by: String
        let since: String?
        let groups: [Group]
        let total: Group
    }
}
