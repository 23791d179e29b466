import LeadSyncRules
import Testing

@Suite("Rules file parser")
struct RulesParserTests {
    @Test func parsesTheExampleFile() throws {
        let rules = try RulesFile.parse(Fixtures.exampleRules, name: "rules.txt")
        #expect(rules.name == "rules.txt")
        #expect(rules.text == Fixtures.exampleRules)
        #expect(rules.thresholds == Thresholds.defaults)
        // Every points line is live: a lead matching all 11 lists them in file order.
        let lead = Fixtures.lead("x", [
            "job_title": "Head of Einkauf", "country": "de", "source": "badge_scan",
            "event": "hannover messe 2026",
        ], tags: ["VIP"], activities: [
            ActivityFact(type: "demo_request", at: Fixtures.now),
            ActivityFact(type: "download", at: Fixtures.now),
            ActivityFact(type: "email_opened", at: Fixtures.now),
        ])
        let report = rules.score(lead, now: Fixtures.now)
        #expect(report.lines.map(\.line) == [7, 8, 9, 10, 11, 12, 13, 16, 17, 18, 19])
        #expect(report.lines.first?.text == "points 15 job_title contains \"einkauf\"")
        #expect(report.lines.map(\.points) == [15, 10, 5, 10, 5, -10, 5, 30, 5, 2, 10])
        #expect(report.total == 87)
        #expect(rules.route(lead)?.owner == "anna")
    }

    @Test func thresholdsAreReadAndDefaulted() throws {
        let set = try RulesFile.parse("threshold mql 40\nthreshold hot 90\nthreshold warm 20\n")
        #expect(set.thresholds.warm == 20)
        #expect(set.thresholds.hot == 90)
        #expect(set.thresholds.mql == 40)
        let partial = try RulesFile.parse("threshold hot 100")
        #expect(partial.thresholds.warm == 30)
        #expect(partial.thresholds.hot == 100)
        #expect(partial.thresholds.mql == 50)
        let empty = try RulesFile.parse("")
        #expect(empty.thresholds == Thresholds.defaults)
        #expect(empty.score(Fixtures.lead(), now: 0).lines.isEmpty)
        #expect(empty.route(Fixtures.lead()) == nil)
    }

    @Test func quotedValuesKeepBlanksHashesAndEscapes() throws {
        let text = #"""
            points 1 company is "Acme \"Tools\" #1"   # a comment after a quoted value
            points 2 city is "Back\\slash"
            points 4 x_booth is "   "
            """#
        // The third line is refused: a blank value is empty after trimming.
        #expect(throws: RulesError.self) { try RulesFile.parse(text) }
        let rules = try RulesFile.parse(String(text.split(separator: "\n").prefix(2).joined(separator: "\n")))
        let lead = Fixtures.lead("x", ["company": "ACME \"tools\" #1", "city": "back\\slash"])
        let report = rules.score(lead, now: 0)
        #expect(report.lines.map(\.points) == [1, 2])
        #expect(report.lines[0].text == #"points 1 company is "Acme \"Tools\" #1""#)
    }

    @Test func commentsBlankLinesAndLineEndings() throws {
        let text = "\u{FEFF}# title\r\n\r\n   \t\r\npoints 3 tag a # trailing\rpoints 4 tag b\n#points 5 tag c\n"
        let rules = try RulesFile.parse(text)
        let report = rules.score(Fixtures.lead(tags: ["a", "b", "c"]), now: 0)
        #expect(report.lines.map(\.line) == [4, 5])
        #expect(report.lines.map(\.text) == ["points 3 tag a", "points 4 tag b"])
        #expect(report.total == 7)
        #expect(rules.text == text)
    }

    @Test func fieldOperators() throws {
        let rules = try RulesFile.parse("""
            points 1 city is münchen
            points 2 job_title contains "geschaftsfuhrer"
            points 4 postal_code prefix 80
            points 8 website present
            points 16 phone missing
            points 32 x_fair_hall is "Halle 3"
            points 64 stage is SQL
            points 128 kind is prospect
            """)
        let hit = Fixtures.lead("x", [
            "city": " MÜNCHEN ", "job_title": "Geschäftsführer", "postal_code": "80331",
            "website": "acme.de", "phone": "  ", "x_fair_hall": "halle 3", "kind": "Prospect",
        ], stage: "sql")
        #expect(rules.score(hit, now: 0).total == 255)
        let miss = Fixtures.lead("y", [
            "city": "Munchen", "job_title": "Einkauf", "postal_code": "18055",
            "phone": "+49 1", "x_fair_hall": "Halle 33", "kind": "partner",
        ])
        // `is` is case- but not diacritic-insensitive; `contains` is both.
        #expect(rules.score(miss, now: 0).total == 0)
    }

    @Test(arguments: [
        ("Straße 1", true), ("STRASSE 1", true), ("Strasse", true), ("Stra-sse", false),
    ])
    func containsIgnoresCaseAndDiacritics(street: String, matches: Bool) throws {
        let rules = try RulesFile.parse("points 1 street contains \"straße\"\npoints 2 x_note contains \"ÆRØ\"")
        #expect(rules.score(Fixtures.lead("x", ["street": street, "x_note": "aero island"]), now: 0).total == (matches ? 3 : 2))
    }

    @Test func conditionsJoinedByAnd() throws {
        let rules = try RulesFile.parse("""
            points 20 country is DE and job_title contains einkauf and tag vip
            route anna country is AT and postal_code prefix 1
            route ben country is AT
            """)
        let all = Fixtures.lead("x", ["country": "DE", "job_title": "Einkauf"], tags: ["vip"])
        #expect(rules.score(all, now: 0).total == 20)
        var partial = all
        partial.tags = []
        #expect(rules.score(partial, now: 0).total == 0)
        #expect(rules.route(Fixtures.lead("v", ["country": "AT", "postal_code": "1010"]))?.owner == "anna")
        #expect(rules.route(Fixtures.lead("g", ["country": "AT", "postal_code": "8010"]))?.owner == "ben")
    }

    @Test func activityOptionsInAnyOrder() throws {
        let a = try RulesFile.parse("points 5 activity download within 7d max 100 each")
        let b = try RulesFile.parse("points 5 activity download each max 100 within 7d")
        let lead = Fixtures.lead(activities: Fixtures.activities("download", count: 3)
            + [ActivityFact(type: "download", at: Fixtures.now - 8 * Fixtures.day)])
        #expect(a.score(lead, now: Fixtures.now).total == 15)
        #expect(b.score(lead, now: Fixtures.now).total == 15)
    }

    @Test func ownersMayBeNodeNamesOrEmails() throws {
        let rules = try RulesFile.parse("""
            route anna.m_2-x tag a
            route "Team.Sued@Example.com" tag b
            """)
        #expect(rules.route(Fixtures.lead(tags: ["b"]))?.owner == "Team.Sued@Example.com")
        #expect(rules.route(Fixtures.lead(tags: ["a"]))?.owner == "anna.m_2-x")
    }

    @Test func defaultRulesParse() throws {
        let rules = Rules.default
        #expect(rules.thresholds == Thresholds.defaults)
        #expect(try RulesFile.parse(rules.text, name: rules.name) == rules)
        let demo = Fixtures.lead("x", ["email": "a@b.de", "job_title": "CEO", "company": "Acme"],
                                 activities: [ActivityFact(type: "demo_request", at: Fixtures.now)])
        let report = rules.score(demo, now: Fixtures.now)
        #expect(report.total == 70)
        #expect(report.temperature == .hot)
        #expect(report.readyForMQL)
        #expect(rules.route(demo) == nil)
    }

    @Test func sameTextParsesToEqualRules() throws {
        let a = try RulesFile.parse(Fixtures.exampleRules, name: "rules.txt")
        let b = try RulesFile.parse(Fixtures.exampleRules, name: "rules.txt")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        let c = try RulesFile.parse(Fixtures.exampleRules + "\n", name: "rules.txt")
        #expect(a != c)
    }
}
