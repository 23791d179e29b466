import Foundation
import LeadSyncTestSupport
import Testing

/// Homes are private by default (issue 13), and text stays whole: a value with NUL or another
/// control character is refused with the field and position named, never cut.
@Suite struct PrivateHomeAndWholeTextTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    /// Every database file of a home that exists is owner-only.
    static func expectPrivateFiles(_ databases: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for database in databases {
            #expect(FileManager.default.fileExists(atPath: database), "\(database) missing", sourceLocation: sourceLocation)
            for file in [database, database + "-wal", database + "-shm"] where FileManager.default.fileExists(atPath: file) {
                let mode = try mode(file)
                #expect(mode == 0o600, "\(file) is \(String(mode, radix: 8))", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func aNewReplicaHomeIsPrivate() throws {
        let root = try TemporaryDirectory("modes")
        let home = root.appending("rep").path
        let created = try LeadSyncBinary.run(["init", "--node", "anna", "--home", home])
        #expect(created.succeeded && created.stderr.isEmpty, "\(created.stderr)")
        #expect(try Self.mode(home) == 0o700)
        try Self.expectPrivateFiles([home + "/replica.sqlite"])
        let added = try LeadSyncBinary.run(["add", "--last-name", "Weber", "--home", home])
        #expect(added.succeeded && added.stderr.isEmpty, "\(added.stderr)")
        try Self.expectPrivateFiles([home + "/replica.sqlite"])
    }

    @Test func aNewHubHomeIsPrivate() throws {
        let root = try TemporaryDirectory("modes")
        let home = root.appending("hub").path
        let created = try LeadSyncBinary.run(["hub", "init", "--home", home])
        #expect(created.succeeded && created.stderr.isEmpty, "\(created.stderr)")
        let token = try LeadSyncBinary.run(["hub", "add-node", "anna", "--home", home])
        #expect(token.succeeded && !token.stderr.contains("warning"), "\(token.stderr)")
        #expect(try Self.mode(home) == 0o700)
        try Self.expectPrivateFiles([home + "/hub.sqlite", home + "/nodes.sqlite"])
    }

    @Test func anExistingHomeOthersCanReadIsWarnedAbout() throws {
        let home = try Home()
        #expect(chmod(home.path, 0o755) == 0)
        let listed = try home.run(["list"])
        #expect(listed.succeeded)
        #expect(listed.stderr == "warning: \(home.path) is accessible to other users (mode 755) and holds personal data; "
            + "restrict it with 'chmod 700 \(home.path)'\n")
        #expect(chmod(home.path, 0o700) == 0)
        #expect(try home.run(["list"]).stderr.isEmpty)
    }

    @Test func setRefusesAControlCharacterAndNamesWhere() throws {
        let home = try Home()
        let id = try home.add(["--last-name", "Weber", "--company", "Acme"])
        let before = try home.snapshot()
        let result = try home.run(["set", id, "company=Acme\u{1B}[31m"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("company contains the control character U+001B at character 5"), "\(result.stderr)")
        #expect(try home.snapshot() == before, "nothing was written")
        // Tabs and line breaks are whitespace: collapsed, not refused.
        try home.ok(["set", id, "company=Acme\tGmbH"])
        #expect(try home.json([LeadOut].self, ["list"]).first?.fields["company"] == "Acme GmbH")
    }

    @Test func csvImportNeverCutsAValueAtNUL() throws {
        let home = try Home()
        let url = home.directory.appending("nul.csv")
        try Data("first_name,last_name\nAnna,nul\u{0}x\nBen,Bauer\n".utf8).write(to: url)
        let before = try home.snapshot()
        let strict = try home.run(["import", url.path, "--strict"])
        #expect(strict.status == 65)
        #expect(strict.stdout.contains("line 2: last_name contains the control character U+0000 at character 4"), "\(strict.stdout)")
        #expect(try home.snapshot() == before)
        // By default the row imports whole and the value is set aside, reported exactly as read.
        let lenient = try home.run(["import", url.path])
        #expect(lenient.succeeded, "\(lenient.stderr)")
        let leads = try home.json([LeadOut].self, ["list"])
        #expect(leads.map { $0.fields["first_name"] }.contains("Anna"))
        #expect(!leads.contains { $0.fields["last_name"] == "nul" }, "never cut at the NUL")
        let warnings = try String(contentsOf: URL(fileURLWithPath: url.path + ".warnings.csv"), encoding: .utf8)
        #expect(warnings.contains("nul\u{0}x"), "\(warnings)")
    }
}
