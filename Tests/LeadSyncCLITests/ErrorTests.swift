import Foundation
import LeadSyncTestSupport
import Testing

/// Expects a refusal: non-zero exit, exactly one line on stderr naming every culprit, nothing on
/// stdout, and the replica exactly as before.
func expectRefused(
    _ home: Home, _ arguments: [String], mentioning culprits: [String], input: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let before = try home.snapshot()
    let result = try home.run(arguments, input: input)
    let command = "leadsync \(arguments.joined(separator: " "))"
    #expect(result.status != 0, "\(command) succeeded", sourceLocation: sourceLocation)
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "\(command): not one line: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("Error: "), sourceLocation: sourceLocation)
    for culprit in culprits {
        #expect(result.stderr.contains(culprit), "\(command): '\(culprit)' missing from: \(result.stderr)", sourceLocation: sourceLocation)
    }
    #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    #expect(try home.snapshot() == before, "\(command) changed the replica", sourceLocation: sourceLocation)
}

@Suite struct ErrorTests {
    @Test func unknownFieldIsRefused() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Erik", "--city", "Ulm"])
        try expectRefused(home, ["set", id, "city=Bonn", "shoe_size=44"], mentioning: ["shoe_size"])
        try expectRefused(home, ["add", "--first-name", "X", "--field", "budget=5"], mentioning: ["budget"])
        try expectRefused(home, ["set", id, "tags=vip"], mentioning: ["tags", "leadsync tag"])
        try expectRefused(home, ["set", id, "city"], mentioning: ["FIELD=VALUE", "city"])
        #expect(try home.json(LeadOut.self, ["show", id]).fields["city"] == "Ulm")
    }

    @Test func badEmailIsRefused() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Erik", "--email", "erik@ulm.example"])
        try expectRefused(home, ["add", "--first-name", "X", "--email", "x@nowhere"], mentioning: ["email", "x@nowhere"])
        try expectRefused(home, ["set", id, "city=Bonn", "email=erik.at.ulm"], mentioning: ["email", "erik.at.ulm"])
        try expectRefused(home, ["add", "--first-name", "X", "--phone", "call me"], mentioning: ["phone", "call me"])
    }

    @Test func badEnumValuesAreRefused() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Erik"])
        try expectRefused(home, ["add", "--first-name", "X", "--stage", "won"], mentioning: ["lifecycle_stage", "won", "mql"])
        try expectRefused(home, ["add", "--first-name", "X", "--source", "fax"], mentioning: ["source", "fax", "badge_scan"])
        try expectRefused(home, ["add", "--first-name", "X", "--kind", "robot"], mentioning: ["kind", "robot", "prospect"])
        try expectRefused(home, ["set", id, "lifecycle_stage=won"], mentioning: ["lifecycle_stage", "won"])
        try expectRefused(home, ["set", id, "source=fax"], mentioning: ["source", "fax"])
        try expectRefused(home, ["set", id, "kind=robot", "city=Bonn"], mentioning: ["kind", "robot"])
        try expectRefused(home, ["list", "--stage", "won"], mentioning: ["lifecycle_stage", "won"])
        try expectRefused(home, ["list", "--sort", "size"], mentioning: ["sort", "size"])
        try expectRefused(home, ["add", "--city", "Ulm"], mentioning: ["first_name"])
        try expectRefused(home, ["note", id, "   "], mentioning: ["note"])
        try expectRefused(home, ["tag", id, "two words"], mentioning: ["two words"])
    }

    @Test func unknownIdIsRefused() throws {
        let home = try Home()
        let id = try home.add(["--first-name", "Erik"])
        let missing = id.first == "f" ? "00000000-0000-4000-8000-000000000000" : "ffffffff-ffff-4fff-bfff-ffffffffffff"
        try expectRefused(home, ["show", missing], mentioning: ["no lead with id", missing])
        try expectRefused(home, ["set", missing, "city=Bonn"], mentioning: ["no lead with id", missing])
        try expectRefused(home, ["delete", "not-hex"], mentioning: ["no lead with id", "not-hex"])
        try expectRefused(home, ["note", missing, "hello"], mentioning: ["no lead with id"])
        try expectRefused(home, ["conflicts", missing], mentioning: ["no lead with id"])
    }

    @Test func ambiguousPrefixListsCandidates() throws {
        let home = try Home()
        var ids: [String] = []
        for index in 0..<17 { ids.append(try home.add(["--last-name", "Lead \(index)"])) }
        // 17 ids, 16 hex digits: some first character starts two ids.
        let groups = Dictionary(grouping: ids) { $0.prefix(1) }
        let (prefix, matching) = try #require(groups.first { $0.value.count >= 2 })
        try expectRefused(
            home, ["show", String(prefix)],
            mentioning: ["ambiguous", "'\(prefix)'"] + matching.sorted().prefix(5).map { String($0.prefix(12)) })
        try expectRefused(home, ["delete", String(prefix)], mentioning: ["ambiguous"])
        try expectRefused(home, ["set", String(prefix), "city=Bonn"], mentioning: ["ambiguous"])
        // A longer prefix that is unique works.
        let unique = try #require(ids.first { id in ids.filter { $0.hasPrefix(id.prefix(8)) }.count == 1 })
        #expect(try home.json(LeadOut.self, ["show", String(unique.prefix(8))]).id == unique)
    }

    @Test func missingHomeIsRefusedAndNotCreated() throws {
        let parent = try TemporaryDirectory("leadsync-cli")
        let missing = parent.appending("no-such-home")
        for arguments in [["list"], ["add", "--first-name", "X"], ["status"], ["show", "abc"]] {
            let result = try LeadSyncBinary.run(arguments, home: missing.path)
            #expect(result.status != 0)
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(missing.path))
            #expect(result.stderr.contains("leadsync init"))
            #expect(!FileManager.default.fileExists(atPath: missing.path), "\(arguments) created the home")
        }
        // An existing but empty directory is not a replica either.
        let empty = try Home(node: nil)
        let result = try empty.run(["list"])
        #expect(result.status != 0 && result.stderr.contains("no replica"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)
    }

    @Test func reInitAndBadInitArgumentsAreRefused() throws {
        let home = try Home(node: "anna")
        _ = try home.add(["--first-name", "Erik"])
        try expectRefused(home, ["init", "--node", "bob"], mentioning: ["already", "anna"])
        try expectRefused(home, ["init", "--node", "anna", "--hub", "h:1", "--token", "t"], mentioning: ["already", "anna"])
        #expect(try home.json(StatusOut.self, ["status"]).hub == nil)

        let fresh = try Home(node: nil)
        for (arguments, culprit) in [
            (["init", "--node", "Bad Name"], "Bad Name"),
            (["init", "--node", "ok", "--hub", "no-port"], "no-port"),
            (["init", "--node", "ok", "--hub", "host:99999"], "host:99999"),
        ] {
            let result = try fresh.run(arguments)
            #expect(result.status != 0)
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(culprit))
            #expect(!FileManager.default.fileExists(atPath: fresh.databasePath))
        }
    }
}
