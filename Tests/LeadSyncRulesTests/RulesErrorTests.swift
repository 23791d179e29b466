import LeadSyncRules
import Testing

@Suite("Rules file errors")
struct RulesErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var token: String
        var message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(text: "# ok\n\nthreshold warm 30\n\n\n\npoints 15 jobtitle contains einkauf", line: 7, token: "jobtitle",
             message: "unknown field 'jobtitle' (expected one of first_name, last_name, email, phone, company, job_title, street, postal_code, city, region, country, website, source, event, owner, kind, stage, or x_custom; or 'tag' or 'activity')"),
        Case(text: "threshold hot 60\n\nthreshold warm 60", line: 3, token: "warm",
             message: "threshold 'warm' (60) must be below 'hot' (60)"),
        Case(text: "threshold warm 70", line: 1, token: "warm",
             message: "threshold 'warm' (70) must be below 'hot' (60, the default)"),
        Case(text: "threshold warm 10\nthreshold hot 5", line: 2, token: "hot",
             message: "threshold 'warm' (10) must be below 'hot' (5)"),
        Case(text: "threshold cold 10", line: 1, token: "cold",
             message: "unknown threshold 'cold' (expected warm, hot or mql)"),
        Case(text: "threshold mql 10\nthreshold mql 20", line: 2, token: "mql",
             message: "threshold 'mql' is already set on line 1"),
        Case(text: "threshold hot sixty", line: 1, token: "sixty",
             message: "threshold 'hot' must be a whole number, got 'sixty'"),
        Case(text: "threshold hot 60 points", line: 1, token: "points",
             message: "unexpected 'points' after threshold 'hot 60'"),
        Case(text: "\n\n\n\n\n\n\n\n\n\n\npoints 30 activity demo", line: 12, token: "demo",
             message: "unknown activity type 'demo' (expected one of booth_visit, conversation, call, email_sent, email_opened, download, webinar, demo_request, quote_request, meeting, note, or any)"),
        Case(text: String(repeating: "\n", count: 8) + "route \"Anna Muster\" country is DE", line: 9, token: "Anna Muster",
             message: "bad owner 'Anna Muster' in route (expected a node name of a-z, 0-9, '.', '_', '-' up to 64 characters, or an email address)"),
        Case(text: "route Anna country is DE", line: 1, token: "Anna",
             message: "bad owner 'Anna' in route (expected a node name of a-z, 0-9, '.', '_', '-' up to 64 characters, or an email address)"),
        Case(text: "route " + String(repeating: "a", count: 65) + " tag x", line: 1, token: String(repeating: "a", count: 65),
             message: "bad owner '\(String(repeating: "a", count: 65))' in route (expected a node name of a-z, 0-9, '.', '_', '-' up to 64 characters, or an email address)"),
        Case(text: "route anna activity meeting", line: 1, token: "activity",
             message: "activity conditions are not allowed in 'route' (routing runs at capture, before any activity)"),
        Case(text: "route anna", line: 1, token: "",
             message: "'route' needs a condition, e.g. 'country is DE'"),
        Case(text: "point 5 tag vip", line: 1, token: "point",
             message: "unknown directive 'point' (expected threshold, points or route)"),
        Case(text: "points five tag vip", line: 1, token: "five",
             message: "points must be a whole number, got 'five'"),
        Case(text: "points 2000000 tag vip", line: 1, token: "2000000",
             message: "points must be between -1000000 and 1000000, got '2000000'"),
        Case(text: "points 5", line: 1, token: "",
             message: "'points' needs a condition, e.g. 'country is DE'"),
        Case(text: "points 5 event is Hannover Messe 2026", line: 1, token: "Messe",
             message: "unexpected 'Messe' after the condition (join conditions with 'and'; put values with spaces in double quotes)"),
        Case(text: "points 5 country equals DE", line: 1, token: "equals",
             message: "unknown operator 'equals' after 'country' (expected is, contains, prefix, present or missing)"),
        Case(text: "points 5 country", line: 1, token: "",
             message: "expected is, contains, prefix, present or missing after 'country', but the line ends"),
        Case(text: "points 5 country is", line: 1, token: "",
             message: "expected a value after 'is', but the line ends"),
        Case(text: "points 5 country is \"\"", line: 1, token: "",
             message: "empty value after 'country is' (use 'country missing' to test for an empty field)"),
        Case(text: "points 5 source is badgescan", line: 1, token: "badgescan",
             message: "unknown source 'badgescan' (expected one of form, business_card, badge_scan, booth_conversation, webinar, whitepaper, phone, import, other)"),
        Case(text: "points 5 kind is lead", line: 1, token: "lead",
             message: "unknown kind 'lead' (expected one of prospect, customer, partner, supplier, internal)"),
        Case(text: "points 5 stage is won", line: 1, token: "won",
             message: "unknown stage 'won' (expected one of lead, mql, sal, sql, opportunity, disqualified, customer)"),
        Case(text: "points 5 tag", line: 1, token: "",
             message: "expected a tag name after 'tag', but the line ends"),
        Case(text: "points 5 tag vip and", line: 1, token: "and",
             message: "expected a condition after 'and'"),
        Case(text: "points 5 activity", line: 1, token: "",
             message: "expected an activity type after 'activity', but the line ends"),
        Case(text: "points 5 activity download max 10", line: 1, token: "max",
             message: "'max' needs 'each' (without 'each' the rule gives its points once)"),
        Case(text: "points 5 activity download each each", line: 1, token: "each",
             message: "'each' given twice"),
        Case(text: "points 5 activity download each max ten", line: 1, token: "ten",
             message: "max must be a whole number, got 'ten'"),
        Case(text: "points 5 activity download each max 0", line: 1, token: "0",
             message: "max must be between 1 and 1000000, got '0'"),
        Case(text: "points 5 activity any within 30", line: 1, token: "30",
             message: "within must be a number of days like 30d, got '30'"),
        Case(text: "points 5 activity any within 0d", line: 1, token: "0d",
             message: "within must be between 1 and 36500, got '0d'"),
        Case(text: "points 5 activity any within 30d within 7d", line: 1, token: "within",
             message: "'within' given twice"),
        Case(text: "points 5 activity call and activity meeting", line: 1, token: "activity",
             message: "only one activity condition per line"),
        Case(text: "points 5 activity call daily", line: 1, token: "daily",
             message: "unexpected 'daily' after the condition (join conditions with 'and'; put values with spaces in double quotes)"),
        Case(text: "points 5 company is \"Acme", line: 1, token: "\"Acme",
             message: "unterminated quote in '\"Acme' (close the value with \")"),
        Case(text: "points 5 company is \"Acme\"GmbH", line: 1, token: "\"Acme\"GmbH",
             message: "expected a blank after the closing quote in '\"Acme\"GmbH'"),
        Case(text: "points 5 company is Ac\"me", line: 1, token: "Ac\"me",
             message: "stray quote in 'Ac\"me' (put the whole value in double quotes)"),
        Case(text: "points 5 company is \"a\\nb\"", line: 1, token: "\\n",
             message: "unknown escape '\\n' in a quoted value (use \\\" for a quote, \\\\ for a backslash)"),
        Case(text: "points 5 tag \"\"", line: 1, token: "",
             message: "empty tag name after 'tag'"),
    ]

    @Test(arguments: cases)
    func errorNamesFileLineAndToken(_ testCase: Case) throws {
        let error = try #require(throws: RulesError.self) {
            try RulesFile.parse(testCase.text, name: "rules.txt")
        }
        #expect(error.file == "rules.txt")
        #expect(error.line == testCase.line)
        #expect(error.token == testCase.token)
        #expect(error.message == testCase.message)
        #expect(error.description == "rules.txt line \(testCase.line): \(testCase.message)")
    }

    @Test func firstErrorFromTheTopWins() throws {
        let error = try #require(throws: RulesError.self) {
            try RulesFile.parse("threshold warm 90\npoints 5 tag\npoints x tag y")
        }
        // Syntax errors come before the threshold consistency check, which runs after all lines.
        #expect(error.line == 2)
    }

    @Test func defaultFileNameIsRules() throws {
        let error = try #require(throws: RulesError.self) { try RulesFile.parse("bogus") }
        #expect(error.description == "rules line 1: unknown directive 'bogus' (expected threshold, points or route)")
    }
}
