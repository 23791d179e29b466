import Foundation
import LeadSyncTestSupport
import Testing

/// Issue 17 ("a first day without dead ends") against the built binary: search that folds German
/// spellings, local time, pipes, exit codes, tokens that look like options, settings, the booth.
@Suite struct FirstDayTests {
    // MARK: 2. Search

    @Test func searchFoldsCaseAndGermanSpellingsOverFieldsAndNotes() throws {
        let home = try Home()
        _ = try home.add(["--first-name", "Jürgen", "--last-name", "Müller", "--email", "j.mueller@example.de", "--city", "Köln"])
        _ = try home.add(["--first-name", "Hans", "--last-name", "Mueller", "--company", "Mueller & Co"])
        _ = try home.add(["--first-name", "Änne", "--last-name", "Schäfer"])
        _ = try home.add(["--first-name", "Klaus", "--last-name", "Größer", "--company", "Größer & Söhne KG"])
        _ = try home.add(["--last-name", "Brandt", "--note", "Traf Herrn Weiß am Stand"])
        let expected: [String: Int] = [
            "MÜLLER": 2, "müller": 2, "muller": 2, "MUELLER": 2, "änne": 1, "ÄNNE": 1, "aenne": 1, "anne": 1,
            "grosser": 1, "GRÖSSER": 1, "größer": 1, "Jürgen Müller": 1, "jurgen mueller": 1, "KOELN": 1,
            "weiss": 1, "WEIß": 1, "söhne": 1, "nobody": 0, "%": 0, "_": 0,
        ]
        for (query, count) in expected {
            let found = try home.json([LeadOut].self, ["list", "--search", query])
            #expect(found.count == count, "--search \(query) found \(found.map { $0.fields["last_name"] ?? "" })")
        }
    }

    @Test func searchStaysInteractiveWithManyLeads() throws {
        let home = try Home()
        let directory = try TemporaryDirectory("many")
        let csv = directory.appending("many.csv")
        var text = "First Name,Last Name,Email,Company,City\n"
        for index in 0..<50_000 {
            text += "Vorname\(index),Nachname\(index),p\(index)@example.com,Firma \(index % 977) GmbH,Stadt \(index % 313)\n"
        }
        text += "Jürgen,Müller,j@mueller.example,Müller AG,Köln\n"
        try text.write(to: csv, atomically: true, encoding: .utf8)
        try home.ok(["import", csv.path])
        // The whole command, process start included: interactive means well under a second even
        // in a debug build on a loaded machine (a release build takes a fraction of that).
        let started = Date()
        let found = try home.json([LeadOut].self, ["list", "--search", "MUELLER"])
        let seconds = Date().timeIntervalSince(started)
        #expect(found.count == 1)
        #expect(seconds < 2.0, "list --search over 50,001 leads took \(seconds) s")
    }

    // MARK: 3. Time zones

    @Test func timesAreTypedAndShownInTheConfiguredZoneAndJSONStaysUTC() throws {
        let home = try Home()
        let id = try home.add(["--last-name", "Zeit"])
        try home.ok(["config", "set", "timezone", "Europe/Berlin"])
        try home.ok(["log", id, "--type", "call", "--text", "Anruf", "--at", "2026-04-21 14:30"])
        let json = try home.ok(["show", id, "--json"])
        #expect(json.contains("\"time\" : \"2026-04-21T12:30:00.000Z\""), "\(json)")
        let text = try home.ok(["show", id])
        #expect(text.contains("2026-04-21T14:30:00.000+02:00"), "\(text)")
        #expect(try home.run(["config", "set", "timezone", "Mars/Olympus"]).status == 65)
    }

    @Test func theTZVariableIsTheZoneWhenNoneIsConfigured() throws {
        let home = try Home()
        let id = try home.add(["--last-name", "Zeit"])
        let logged = try LeadSyncBinary.run(
            ["log", id, "--type", "meeting", "--at", "2026-01-10 09:00"], home: home.path, environment: ["TZ": "Europe/Berlin"])
        #expect(logged.succeeded, "\(logged.stderr)")
        let shown = try LeadSyncBinary.run(["show", id], home: home.path, environment: ["TZ": "Europe/Berlin"])
        #expect(shown.stdout.contains("2026-01-10T09:00:00.000+01:00"), "\(shown.stdout)")
        #expect(try home.ok(["show", id, "--json"]).contains("\"time\" : \"2026-01-10T08:00:00.000Z\""))
    }

    // MARK: 4. Pipes

    @Test func aDashMeansStandardInputAndOutput() throws {
        let csv = "First Name,Last Name,Email\nÄnne,Schäfer,aenne@example.de\nKlaus,Größer,klaus@example.de\n"
        let home = try Home()
        let imported = try home.ok(["import", "-", "--json"], input: csv)
        #expect(imported.contains("\"created\" : 2"), "\(imported)")
        let other = try Home()
        try other.ok(["import", "/dev/stdin"], input: csv)
        #expect(try other.json([LeadOut].self, ["list"]).count == 2)

        let directory = try TemporaryDirectory("pipes")
        let exported = try LeadSyncBinary.run(
            ["export", "--format", "csv", "--output", "-"], home: home.path, workingDirectory: directory.path)
        #expect(exported.succeeded, "\(exported.stderr)")
        #expect(exported.stdout.contains("Größer"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("-").path), "export wrote a file named '-'")
    }

    // MARK: 5. Exit codes (sync's are in LeadSyncSyncCLITests)

    @Test func exitCodesSayWhatKindOfFailureItWas() throws {
        let home = try Home()
        #expect(try home.run(["show", "ffffffff"]).status == 66)
        #expect(try home.run(["add", "--email", "not-an-email"]).status == 65)
        #expect(try home.run(["list", "--no-such-option"]).status == 64)
        #expect(try home.run(["init", "--node", "anna"]).status == 64)
        let empty = try TemporaryDirectory("none")
        #expect(try LeadSyncBinary.run(["list"], home: empty.path).status == 66)
        #expect(try home.run(["import", "/nonexistent/file.csv"]).status == 66)
    }

    // MARK: 1 and 8. Settings and tokens

    @Test func configShowsSetsAndUnsetsCheckedSettings() throws {
        let home = try Home()
        try home.ok(["config", "set", "hub", "10.0.0.5:7420"])
        try home.ok(["config", "set", "fingerprint", "sha256:" + String(repeating: "ab", count: 32)])
        try home.ok(["config", "set", "region", "de"])
        try home.ok(["config", "set", "event", "Hannover Messe 2026"])
        try home.ok(["config", "set", "token", "-"], input: "Zk3qSecretToken-xyz\n")
        let shown = try home.json([String: String?].self, ["config"])
        #expect(shown.count == 8)
        #expect(shown["hub"] == "10.0.0.5:7420")
        #expect(shown["region"] == "DE")
        #expect(shown["timezone"] == .some(nil))
        let token = try #require(shown["token"] ?? nil)
        #expect(token.hasPrefix("Zk3q") && !token.contains("SecretToken"))
        #expect(!(try home.ok(["config"])).contains("SecretToken"))
        #expect(try home.json(StatusOut.self, ["status"]).hub == "10.0.0.5:7420")

        let before = try home.ok(["config", "--json"])
        for (key, value, status) in [
            ("hub", "10.0.0.5", Int32(65)), ("fingerprint", "sha256:abc", 65), ("region", "XX", 65),
            ("timezone", "Berlin", 65), ("colour", "blue", 64),
        ] {
            let refused = try home.run(["config", "set", key, value])
            #expect(refused.status == status, "config set \(key) \(value): \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("Error: ") && refused.stderr.split(separator: "\n").count == 1)
        }
        #expect(try home.ok(["config", "--json"]) == before)
        try home.ok(["config", "unset", "event"])
        #expect(try home.json([String: String?].self, ["config"])["event"] == .some(nil))
    }

    @Test func initOnAnExistingReplicaPointsToConfig() throws {
        let home = try Home()
        let again = try home.run(["init", "--node", "anna", "--hub", "127.0.0.1:7420", "--token", "abc"])
        #expect(again.status == 64)
        #expect(again.stderr.contains("leadsync config set hub") && again.stderr.contains("config set token -"), "\(again.stderr)")
        #expect(try home.json(StatusOut.self, ["status"]).hub == nil)
    }

    @Test func tokensThatLookLikeOptionsAreAccepted() throws {
        let home = try Home(node: nil)
        try home.ok(["init", "--node", "anna", "--token", "-AbCdEf123", "--hub", "127.0.0.1:7420"])
        #expect(try home.json([String: String?].self, ["config"])["token"] == .some("-AbC… (10 characters)"))
        try home.ok(["config", "set", "token", "--9xYz"])
        #expect(try home.json([String: String?].self, ["config"])["token"] == .some("--9x… (6 characters)"))
        try home.ok(["config", "set", "token", "-"], input: "-fromStdin\n")
        #expect(try home.json([String: String?].self, ["config"])["token"] == .some("-fro… (10 characters)"))
    }

    // MARK: 9. At the booth

    @Test func addWarnsAboutAKnownEmailAndReportsItInJSON() throws {
        let home = try Home()
        let first = try home.add(["--first-name", "Jürgen", "--last-name", "Müller", "--email", "j.mueller@example.de"])
        let second = try home.run(["add", "--last-name", "Mueller", "--email", "J.Mueller@example.de"])
        #expect(second.succeeded)
        #expect(second.stderr.contains("warning: lead \(first.prefix(8)) (Jürgen Müller) has the same email"), "\(second.stderr)")
        struct Added: Decodable {
            struct Known: Decodable { let id: String }
            let id: String
            let duplicates: [Known]
        }
        let third = try JSONDecoder().decode(
            Added.self, from: Data(try home.run(["add", "--last-name", "M", "--email", "j.mueller@example.de", "--json"]).stdout.utf8))
        #expect(third.duplicates.count == 2 && third.duplicates.first?.id == first)
        #expect(try home.json(Added.self, ["add", "--email", "fresh@example.de"]).duplicates.isEmpty)
    }

    @Test func captureSummarisesAndTheDefaultEventApplies() throws {
        let home = try Home()
        try home.ok(["config", "set", "event", "Hannover Messe 2026"])
        let captured = try home.ok(["capture", "--scan", "MECARD:N:Weber,Anna;EMAIL:anna.weber@example.com;ORG:Weber AG;;"])
        #expect(captured.hasPrefix("Captured "), "\(captured)")
        #expect(captured.contains("Anna Weber, Weber AG, anna.weber@example.com (badge_scan, Hannover Messe 2026)"), "\(captured)")
        _ = try home.add(["--last-name", "Ohne"])
        _ = try home.add(["--last-name", "Mit", "--event", "EuroShop 2026"])
        let events = try home.json([LeadOut].self, ["list", "--sort", "name"]).map { $0.fields["event"] ?? "" }
        #expect(events.sorted() == ["EuroShop 2026", "Hannover Messe 2026", "Hannover Messe 2026"])
    }

    @Test func tablesFitTheTerminalWidthAndAreNeverCutWhenPiped() throws {
        let home = try Home()
        let long = String(repeating: "Maschinenbau", count: 4)
        _ = try home.add(["--first-name", "Jürgen", "--last-name", "Müller-Lüdenscheidt", "--company", long,
                      "--email", "juergen.mueller-luedenscheidt@\(long.lowercased()).example"])
        let narrow = try LeadSyncBinary.run(["list"], home: home.path, environment: ["COLUMNS": "80"])
        #expect(narrow.succeeded)
        for line in narrow.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line.count): \(line)") }
        #expect(narrow.stdout.contains("…"))
        let piped = try home.ok(["list"])
        #expect(piped.contains(long) && !piped.contains("…"))
    }

    // MARK: 7. Help and docs

    @Test func helpAndDocsTellTheTruth() throws {
        let list = try LeadSyncBinary.run(["list", "--help"]).stdout
        #expect(list.components(separatedBy: "(default: created)").count == 2, "\(list)")
        let serve = try LeadSyncBinary.run(["hub", "serve", "--help"]).stdout
        #expect(!serve.contains("replica's directory") && serve.contains("hub's directory"), "\(serve)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for document in ["README.md", "Docs/operating-a-hub.md", "Docs/sync.md", "Docs/troubleshooting.md"] {
            let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
            #expect(!text.contains("7450"), "\(document) names port 7450; the documented port is 7420")
        }
    }
}
