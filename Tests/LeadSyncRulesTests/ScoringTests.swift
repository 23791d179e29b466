import LeadSyncRules
import LeadSyncTestSupport
import Testing

@Suite("Scoring")
struct ScoringTests {
    let rules: Rules

    init() throws {
        rules = try RulesFile.parse(Fixtures.exampleRules, name: "rules.txt")
    }

    @Test func linesExplainAndSumToTheTotal() throws {
        let lead = Fixtures.lead("x", ["email": "a@b.de", "job_title": "Leiter Einkauf", "country": "DE"],
                                 activities: Fixtures.activities("download", count: 2))
        let report = rules.score(lead, now: Fixtures.now)
        #expect(report.lines.map(\.line) == [7, 9, 17, 19])
        #expect(report.lines.map(\.points) == [15, 5, 10, 10])
        #expect(report.lines[2].count == 2)
        #expect(report.lines[2].text == "points 5  activity download each max 15")
        #expect(report.total == 40)
        #expect(report.lines.reduce(0) { $0 + $1.points } == report.total)
        #expect(report.fit == 20)
        #expect(report.engagement == 20)
    }

    @Test(arguments: [
        (29, Temperature.cold, false), (30, .warm, false), (49, .warm, false), (50, .warm, true),
        (59, .warm, true), (60, .hot, true), (-5, .cold, false), (1000, .hot, true),
    ])
    func temperatureAtTheBoundaries(score: Int, expected: Temperature, mql: Bool) throws {
        // One tag rule per point value lets the test dial in an exact total.
        let rules = try RulesFile.parse("threshold warm 30\nthreshold hot 60\nthreshold mql 50\npoints \(score) tag t")
        let report = rules.score(Fixtures.lead(tags: ["t"]), now: 0)
        #expect(report.total == score)
        #expect(report.temperature == expected)
        #expect(report.readyForMQL == mql)
        #expect(Temperature(score: score, thresholds: rules.thresholds) == expected)
    }

    @Test func withoutEachPointsOnce() throws {
        let lead = Fixtures.lead(activities: Fixtures.activities("demo_request", count: 3))
        let line = try #require(rules.score(lead, now: Fixtures.now).lines.first { $0.line == 16 })
        #expect(line.points == 30)
        #expect(line.count == 1)
    }

    @Test(arguments: [(0, 0), (1, 5), (2, 10), (3, 15), (4, 15), (20, 15)])
    func eachIsCappedByMax(downloads: Int, points: Int) throws {
        let rules = try RulesFile.parse("points 5 activity download each max 15")
        let lead = Fixtures.lead(activities: Fixtures.activities("download", count: downloads)
            + Fixtures.activities("call", count: 2))
        let report = rules.score(lead, now: Fixtures.now)
        #expect(report.total == points)
        #expect(report.lines.count == (downloads > 0 ? 1 : 0))
        #expect(report.lines.first?.count == (downloads > 0 ? downloads : nil))
    }

    @Test func negativeEachIsCappedInMagnitude() throws {
        let rules = try RulesFile.parse("points -4 activity email_sent each max 10\npoints 3 activity call each")
        let lead = Fixtures.lead(activities: Fixtures.activities("email_sent", count: 5) + Fixtures.activities("call", count: 7))
        let report = rules.score(lead, now: Fixtures.now)
        #expect(report.lines.map(\.points) == [-10, 21])
        #expect(report.total == 11)
    }

    @Test func withinCountsActivitiesAtOrAfterTheCutoff() throws {
        let rules = try RulesFile.parse("points 10 activity any within 30d\npoints 1 activity call each within 2d")
        let cutoff30 = Fixtures.now - 30 * Fixtures.day
        let atCutoff = Fixtures.lead(activities: [ActivityFact(type: "note", at: cutoff30)])
        #expect(rules.score(atCutoff, now: Fixtures.now).total == 10)
        let justBefore = Fixtures.lead(activities: [ActivityFact(type: "note", at: cutoff30 - 1)])
        #expect(rules.score(justBefore, now: Fixtures.now).total == 0)
        // A day later the same lead loses the recency points: `within` makes scores time-dependent.
        #expect(rules.score(atCutoff, now: Fixtures.now + Fixtures.day).total == 0)
        let calls = Fixtures.lead(activities: [
            ActivityFact(type: "call", at: Fixtures.now - 2 * Fixtures.day),
            ActivityFact(type: "call", at: Fixtures.now - 2 * Fixtures.day - 1),
            ActivityFact(type: "call", at: Fixtures.now + Fixtures.day),
        ])
        let report = rules.score(calls, now: Fixtures.now)
        #expect(report.lines.map(\.points) == [10, 2])
    }

    @Test func sameResultForShuffledActivitiesAndTags() throws {
        var activities: [ActivityFact] = []
        for (index, type) in ["download", "email_opened", "demo_request", "booth_visit", "call"].enumerated() {
            activities += Fixtures.activities(type, count: index + 2, from: Fixtures.now - Int64(index) * 20 * Fixtures.day)
        }
        let lead = Fixtures.lead("x", ["job_title": "Head of Einkauf", "source": "badge_scan"],
                                 tags: ["vip", "fair", "x"], activities: activities)
        let expected = rules.score(lead, now: Fixtures.now)
        #expect(expected.total == 15 + 10 + 10 - 10 + 5 + 30 + 10 + 6 + 10)
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<50 {
            var shuffled = lead
            shuffled.activities.shuffle(using: &generator)
            shuffled.tags.shuffle(using: &generator)
            #expect(rules.score(shuffled, now: Fixtures.now) == expected)
        }
    }

    @Test func startOfUTCDay() {
        #expect(Rules.startOfUTCDay(Fixtures.now) == Fixtures.now)
        #expect(Rules.startOfUTCDay(Fixtures.now + Fixtures.day - 1) == Fixtures.now)
        #expect(Rules.startOfUTCDay(0) == 0)
        #expect(Rules.startOfUTCDay(-1) == -Fixtures.day)
    }
}
