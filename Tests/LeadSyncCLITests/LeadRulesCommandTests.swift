import Foundation
import LeadSyncCore
import LeadSyncReplication
import LeadSyncStore
import LeadSyncTestSupport
import Testing

/// The rules a replica would have received from its hub, applied as the hub's `setting`
/// operation (the sync suite covers the real path through `hub rules set` and `sync`).
private func installRules(_ text: String, in home: Home) throws {
    let store = try Store.open(path: home.databasePath)
    let hub = try ActorID(validating: "hub~cli0test")
    let op = Op(
        origin: hub, seq: try store.clock()[hub] + 1, deps: VectorClock(), hlc: HLC(wallMillis: Store.systemMillis()),
        record: .settings, change: .setting(name: "rules", value: text))
    #expect(try store.apply([op]).applied == 1)
}

/// Adds an activity through the library (logging activities is another command's job).
private func addActivity(_ type: ActivityType, to id: String, in home: Home, at: Int64? = nil) throws {
    let store = try Store.open(path: home.databasePath)
    try store.commit(.activity(ActivityEntry(type: type, text: "", at: at)), to: RecordID(validating: id))
}

/// A refusal: non-zero exit, one `Error:` line naming every culprit, nothing on stdout.
private func expectError(
    _ home: Home, _ arguments: [String], mentioning culprits: [String], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let before = try home.snapshot()
    let result = try home.run(arguments)
    #expect(result.status != 0, "leadsync \(arguments) succeeded", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
    for culprit in culprits {
        #expect(result.stderr.contains(culprit), "'\(culprit)' missing from: \(result.stderr)", sourceLocation: sourceLocation)
    }
    #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    #expect(try home.snapshot() == before, "the replica changed", sourceLocation: sourceLocation)
}

private struct StageVerbOut: Decodable {
    let id: String
    let stage: String
    let previous: String
    let operations: Int
}

private struct ScoreOut: Decodable {
    struct Line: Decodable {
        let line: Int
        let text: String
        let points: Int
        let count: Int
        let engagement: Bool
    }

    struct RulesInfo: Decodable {
        let source: String
        let error: String?
    }

    let id: String
    let score: Int
    let temperature: String
    let readyForMQL: Bool
    let fit: Int
    let engagement: Int
    let thresholds: [String: Int]
    let day: String
    let rules: RulesInfo
    let lines: [Line]

    enum CodingKeys: String, CodingKey {
        case id, score, temperature, fit, engagement, thresholds, day, rules, lines
        case readyForMQL = "ready_for_mql"
    }
}

private struct ScoredLeadOut: Decodable {
    let id: String
    let fields: [String: String]
    let stage: String
    let score: Int
    let temperature: String
}

@Suite struct LeadRulesCommandTests {
    @Test func stageVerbsMoveForwardAndRecordHistory() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Anna", "--company", "Acme"])
        #expect(try home.json(StageVerbOut.self, ["qualify", id]).stage == "mql")
        let accepted = try home.json(StageVerbOut.self, ["accept", String(id.prefix(8))])
        #expect((accepted.id, accepted.previous, accepted.stage, accepted.operations) == (id, "mql", "sal", 1))
        #expect(try home.ok(["stage", id, "SQL"]) == "\(id.prefix(8)): sal → sql\n")
        #expect(try home.json(StageVerbOut.self, ["stage", id, "sql"]).operations == 0)
        try expectError(home, ["qualify", id], mentioning: ["past 'mql'", "leadsync stage"])
        try expectError(home, ["accept", id], mentioning: ["past 'sal'"])
        #expect(try home.ok(["convert", id]).contains("sql → customer"))
        try expectError(home, ["disqualify", id, "--reason", "no budget"], mentioning: ["past 'disqualified'"])
        // `stage` sets any stage, also backwards.
        #expect(try home.json(StageVerbOut.self, ["stage", id, "lead"]).stage == "lead")
        #expect(try home.json(LeadOut.self, ["show", id]).stage == "lead")

        struct Entry: Decodable { let at: String; let stage: String; let by: String }
        let history = try home.json([Entry].self, ["history", id])
        #expect(history.map(\.stage) == ["lead", "mql", "sal", "sql", "customer", "lead"])
        #expect(history.allSatisfy { $0.by.hasPrefix("anna~") && parseTime($0.at) != nil })
        #expect(try home.ok(["history", id]).hasPrefix("Stage history of \(id.prefix(8)) (now lead):\n"))
    }

    @Test func disqualifyRecordsItsReasonInTheSameTransaction() throws {
        let home = try Home()
        let id = try home.add(["--last-name", "Student"])
        let operations = try home.json(StatusOut.self, ["status"]).operations
        let result = try home.json(StageVerbOut.self, ["disqualify", id, "--reason", "student, no budget"])
        #expect((result.stage, result.operations) == ("disqualified", 2))
        #expect(try home.json(StatusOut.self, ["status"]).operations == operations + 2)
        let detail = try home.json(DetailOut.self, ["show", id])
        #expect(detail.lead.stage == "disqualified")
        #expect(detail.notes.map(\.text) == ["student, no budget"])
        // Reopened deliberately, then converted.
        try home.ok(["stage", id, "sal"])
        #expect(try home.json(StageVerbOut.self, ["convert", id]).stage == "customer")
    }

    @Test func badStageVerbInputIsRefused() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Erik"])
        try expectError(home, ["stage", id, "won"], mentioning: ["lifecycle_stage", "won", "mql", "customer"])
        try expectError(home, ["disqualify", id], mentioning: ["--reason"])
        try expectError(home, ["disqualify", id, "--reason", "  "], mentioning: ["--reason"])
        try expectError(home, ["qualify", "ffffffff"], mentioning: ["ffffffff"])
        try expectError(home, ["convert", "0000"], mentioning: ["0000"])
        let usage = try home.run(["qualify"])
        #expect(usage.status != 0 && usage.stderr.contains("--auto"))
    }

    @Test func assignValidatesTheOwner() throws {
        let home = try Home(node: "anna")
        let id = try home.add(["--first-name", "Erik"])
        #expect(try home.ok(["assign", id, "ben"]) == "\(id.prefix(8)): owner (none) → ben\n")
        #expect(try home.json(LeadOut.self, ["show", id]).fields["owner"] == "ben")
        try home.ok(["assign", id, "Team-Sued@Example.COM"])
        #expect(try home.json(LeadOut.self, ["show", id]).fields["owner"] == "Team-Sued@example.com")
        try home.ok(["assign", id, "me"])
        #expect(try home.json(LeadOut.self, ["show", id]).fields["owner"] == "anna")
        #expect(try home.ok(["assign", id, "anna"]).contains("nothing changed"))
        try expectError(home, ["assign", id, "Anna Muster"], mentioning: ["owner", "Anna Muster", "node name", "email"])
        try expectError(home, ["assign", id, "anna@nowhere"], mentioning: ["owner", "anna@nowhere"])
        try expectError(home, ["assign", id, ""], mentioning: ["owner"])
        try expectError(home, ["assign", "abcdef12", "ben"], mentioning: ["abcdef12"])
        let other = try home.add(["--first-name", "Olga", "--owner", "ben"])
        #expect(try home.json([LeadOut].self, ["list", "--owner", "me"]).map(\.id) == [id])
        #expect(try home.json([LeadOut].self, ["list", "--owner", "ben"]).map(\.id) == [other])
    }

    @Test func scoreExplainsItselfWithTheBuiltInRules() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Anna", "--company", "Acme", "--title", "Head of IT", "--email", "anna@acme.example"])
        try addActivity(.demoRequest, to: id, in: home)
        for _ in 0..<4 { try addActivity(.download, to: id, in: home) }
        let score = try home.json(ScoreOut.self, ["score", id])
        // job title 10, company 10, demo 40, downloads 5 × 3 (max 15), any activity today 10.
        #expect(score.score == 85)
        #expect((score.temperature, score.readyForMQL, score.fit, score.engagement) == ("hot", true, 20, 65))
        #expect(score.lines.reduce(0) { $0 + $1.points } == score.score)
        #expect(score.lines.map(\.points) == [10, 10, 40, 15, 10])
        #expect(score.lines.first { $0.text.contains("download") }?.count == 4)
        #expect(score.thresholds == ["warm": 30, "hot": 60, "mql": 50])
        #expect((score.rules.source, score.rules.error) == ("built_in", nil))
        #expect(score.day.count == 10 && score.day.hasPrefix("20"))

        #expect(try home.ok(["score", id]) == "\(id.prefix(8))  Anna: 85 (hot), ready for MQL\n")
        let explained = try home.ok(["score", String(id.prefix(6)), "--explain"])
        for text in ["LINE", "POINTS", "RULE", "+40", "points 40 activity demo_request", "(×4)", "total", "85",
                     "fit 20, engagement 65", "the built-in rules"] {
            #expect(explained.contains(text), "'\(text)' missing from:\n\(explained)")
        }
        let plain = try home.add(["--last-name", "Nobody"])
        let nothing = try home.ok(["score", plain, "--explain"])
        #expect(nothing.contains("-10") && nothing.contains("points -10 email missing"))
        try expectError(home, ["score", "deadbeef"], mentioning: ["deadbeef"])
        try expectError(home, ["score", "not-an-id"], mentioning: ["not-an-id"])
    }

    @Test func listSortsAndFiltersByScoreAndTemperature() throws {
        let home = try Home()
        let cold = try home.add(["--last-name", "Cold"])  // email missing: -10
        let warm = try home.add([
            "--last-name", "Warm", "--company", "W", "--title", "CEO", "--email", "w@w.example", "--source", "badge_scan",
        ])  // 10 + 10 + 10
        let hot = try home.add(["--last-name", "Hot", "--company", "H", "--email", "h@h.example"])
        try addActivity(.quoteRequest, to: hot, in: home)  // 10 + 40 + 10 (any activity this month)
        let tie = try home.add([
            "--last-name", "Tie", "--company", "T", "--title", "CFO", "--email", "t@t.example", "--source", "booth_conversation",
        ])  // 10 + 10 + 10
        let listed = try home.json([ScoredLeadOut].self, ["list", "--sort", "score"])
        #expect(listed.map(\.id) == [hot, warm, tie, cold])
        #expect(listed.map(\.score) == [60, 30, 30, -10])
        #expect(listed.map(\.temperature) == ["hot", "warm", "warm", "cold"])
        #expect(try home.json([ScoredLeadOut].self, ["list", "--sort", "score", "--desc"]).map(\.id) == [cold, tie, warm, hot])
        #expect(try home.json([ScoredLeadOut].self, ["list", "--sort", "score", "--limit", "2"]).map(\.id) == [hot, warm])
        #expect(try home.json([ScoredLeadOut].self, ["list", "--temperature", "WARM"]).map(\.id) == [warm, tie])
        #expect(try home.json([ScoredLeadOut].self, ["list", "--temperature", "warm", "--limit", "1"]).map(\.id) == [warm])
        #expect(try home.json([ScoredLeadOut].self, ["list", "--temperature", "hot", "--sort", "name"]).map(\.id) == [hot])
        let text = try home.ok(["list", "--sort", "score"]).split(separator: "\n")
        #expect(text.first?.contains("SCORE") == true && text.first?.contains("TEMP") == true)
        #expect(text[1].hasPrefix(String(hot.prefix(8))))
        #expect(text[1].split(separator: " ").suffix(2) == ["60", "hot"])
        try expectError(home, ["list", "--temperature", "lukewarm"], mentioning: ["temperature", "lukewarm", "cold, warm, hot"])
        try expectError(home, ["list", "--sort", "size"], mentioning: ["sort", "size", "score"])
    }

    @Test func qualifyAutoPromotesLeadsReadyForMQL() throws {
        let home = try Home()
        let ready = try home.add(["--last-name", "Ready", "--company", "R", "--email", "r@r.example"])
        try addActivity(.demoRequest, to: ready, in: home)  // 10 + 40 + 10 = 60
        let almost = try home.add(["--last-name", "Almost", "--company", "A", "--title", "CTO", "--email", "a@a.example"])  // 20
        let advanced = try home.add(["--last-name", "Advanced", "--company", "B", "--email", "b@b.example", "--stage", "sql"])
        try addActivity(.demoRequest, to: advanced, in: home)
        let operations = try home.json(StatusOut.self, ["status"]).operations

        struct Promoted: Decodable { let id: String; let score: Int }
        struct AutoOut: Decodable {
            let dryRun: Bool
            let threshold: Int
            let rules: String
            let promoted: [Promoted]
            enum CodingKeys: String, CodingKey { case threshold, rules, promoted, dryRun = "dry_run" }
        }
        let dry = try home.json(AutoOut.self, ["qualify", "--auto", "--dry-run"])
        #expect(dry.dryRun && dry.threshold == 50 && dry.rules == "built_in")
        #expect(dry.promoted.map(\.id) == [ready] && dry.promoted.map(\.score) == [60])
        #expect(try home.json(StatusOut.self, ["status"]).operations == operations)
        let text = try home.ok(["qualify", "--auto"])
        #expect(text.contains(String(ready.prefix(8))) && text.contains("promoted 1 lead to mql"))
        #expect(try home.json(LeadOut.self, ["show", ready]).stage == "mql")
        #expect(try home.json(LeadOut.self, ["show", almost]).stage == "lead")
        #expect(try home.json(LeadOut.self, ["show", advanced]).stage == "sql")
        #expect(try home.ok(["qualify", "--auto"]).contains("no lead at stage lead reaches the mql threshold (50)"))
        let usage = try home.run(["qualify", ready, "--auto"])
        #expect(usage.status != 0)
    }

    @Test func replicatedRulesDriveScoringAndRouting() throws {
        let home = try Home(node: "anna")
        try installRules("""
            threshold mql 25
            points 25 country is DE   # fit
            points 5 tag vip
            route anna country is DE
            route team-at@example.com country is AT
            """, in: home)
        let german = try home.add(["--last-name", "Huber", "--country", "DE"])
        let austrian = try home.add(["--last-name", "Gruber", "--country", "AT", "--tag", "vip"])
        let given = try home.add(["--last-name", "Meier", "--country", "DE", "--owner", "ben"])
        let swiss = try home.add(["--last-name", "Keller", "--country", "CH"])
        let owners = try [german, austrian, given, swiss].map { try home.json(LeadOut.self, ["show", $0]).fields["owner"] }
        #expect(owners == ["anna", "team-at@example.com", "ben", nil])
        let score = try home.json(ScoreOut.self, ["score", german])
        #expect((score.score, score.readyForMQL, score.rules.source) == (25, true, "hub"))
        #expect(score.lines.map(\.line) == [2])
        #expect(score.lines.first?.text == "points 25 country is DE")
        #expect(try home.json(ScoreOut.self, ["score", austrian]).lines.map(\.line) == [3])
        #expect(try home.ok(["score", german, "--explain"]).contains("the hub's rules"))
        #expect(try home.json([LeadOut].self, ["list", "--owner", "me"]).map(\.id) == [german])

        // A rules text this replica cannot parse: the built-in rules, and score says so.
        try installRules("threshold warm 30\npoints 5 shoe_size is 44\n", in: home)
        let fallback = try home.json(ScoreOut.self, ["score", german])
        #expect(fallback.rules.source == "unusable")
        #expect(fallback.rules.error?.contains("line 2") == true && fallback.rules.error?.contains("shoe_size") == true)
        #expect(fallback.score == -10)  // built-in: email missing
        let text = try home.ok(["score", german])
        #expect(text.contains("built-in rules") && text.contains("do not parse") && text.contains("shoe_size"))
        // Capture keeps working; no routes in the built-in rules.
        let later = try home.add(["--last-name", "Later", "--country", "DE"])
        #expect(try home.json(LeadOut.self, ["show", later]).fields["owner"] == nil)
    }
}
