import Foundation
import LeadSyncTestSupport
import Testing

/// CSV imports through the built binary: all-or-nothing, rejected rows, duplicates, dry run,
/// `--map`, and files from German Excel.
@Suite struct ImportCSVTests {
    static func write(_ home: Home, _ name: String, _ text: String) throws -> URL {
        let url = home.directory.appending(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func leads(_ home: Home) throws -> [LeadOut] {
        try home.json([LeadOut].self, ["list", "--sort", "name"])
    }

    /// A quoted multi-line note on line 3 pushes the bad record to physical line 5.
    static let oneBadRow = """
        first_name,last_name,email,company,notes
        Anna,Schmidt,anna@acme.example,Acme,Wants a demo
        Bernd,Bauer,bernd@beta.example,"Beta, Bauer & Co","Line one
        line two"
        Clara,Croft,not-an-email,Gamma,
        Dieter,Dorn,dieter@delta.example,Delta,

        """

    @Test func oneBadRowImportsNothingAndNamesItsLine() throws {
        let home = try Home()
        _ = try home.add(["--first-name", "Existing", "--email", "old@lead.example"])
        let url = try Self.write(home, "fair.csv", Self.oneBadRow)
        let before = try home.snapshot()

        let result = try home.run(["import", url.path, "--strict"])
        #expect(result.status == 65)
        #expect(result.stdout.contains("Invalid rows:\n  line 5: invalid email 'not-an-email'"), "\(result.stdout)")
        #expect(result.stderr == "Error: 1 row of 4 is invalid; nothing was imported (fix it, or pass --skip-invalid to import the valid rows)\n")
        #expect(result.stdout.contains("Nothing imported from fair.csv"))
        #expect(try home.snapshot() == before, "a failed import changes nothing")
        #expect(!FileManager.default.fileExists(atPath: url.path + ".rejected.csv"))
    }

    @Test func skipInvalidImportsTheRestAndWritesTheRejectedRows() throws {
        let home = try Home()
        let url = try Self.write(home, "fair.csv", Self.oneBadRow)
        let result = try home.run(["import", url.path, "--strict", "--skip-invalid"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("line 5: invalid email 'not-an-email'"))
        #expect(result.stderr.isEmpty)
        #expect(try Self.leads(home).map { $0.fields["last_name"] } == ["Bauer", "Dorn", "Schmidt"])
        let bauer = try #require(try Self.leads(home).first)
        #expect(bauer.fields["company"] == "Beta, Bauer & Co")
        #expect(bauer.fields["source"] == "import")
        #expect(try home.json(DetailOut.self, ["show", bauer.id]).notes.map(\.text) == ["Line one\nline two"])

        let rejectedBytes = try Data(contentsOf: URL(fileURLWithPath: url.path + ".rejected.csv"))
        #expect(rejectedBytes == Data(("\u{FEFF}first_name,last_name,email,company,notes,error\r\n"
            + "Clara,Croft,not-an-email,Gamma,,line 5: invalid email 'not-an-email': expected name@domain.tld\r\n").utf8))
        let rejected = String(decoding: rejectedBytes, as: UTF8.self)

        // Fix the row in the rejected file and import that file: its error column is ignored.
        let fixed = rejected.replacingOccurrences(of: "not-an-email", with: "clara@gamma.example")
        let fixedURL = home.directory.appending("fair.csv.rejected.csv")
        try Data(fixed.utf8).write(to: fixedURL)
        try home.ok(["import", fixedURL.path])
        let clara = try #require(try Self.leads(home).first { $0.fields["last_name"] == "Croft" })
        #expect(clara.fields == [
            "first_name": "Clara", "last_name": "Croft", "email": "clara@gamma.example", "company": "Gamma", "source": "import",
        ])
    }

    @Test func rejectedFileCanBeNamedAndKeepsMisshapenRows() throws {
        let home = try Home()
        let url = try Self.write(home, "short.csv", "email,company\nok@a.example,A\nonly-one-field\nx@b.example,B,extra\n")
        let target = home.directory.appending("bad-rows.csv").path
        let result = try home.run(["import", url.path, "--strict", "--skip-invalid", "--rejected", target, "--json"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let out = try JSONDecoder().decode(ImportOut.self, from: Data(result.stdout.utf8))
        #expect(out.created == 1)
        #expect(out.invalid == 2)
        #expect(out.errors.map(\.line) == [3, 4])
        #expect(out.errors[0].message.hasPrefix("record has 1 fields but the header has 2"))
        #expect(out.rejectedFile == target)
        let rejected = try String(contentsOfFile: target, encoding: .utf8)
        let lines = rejected.split(separator: "\r\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("only-one-field,,line 3: record has 1 fields but the header has 2"))
        #expect(lines[2].hasPrefix("x@b.example,B,extra,line 4: record has 3 fields"))
    }

    static let duplicates = """
        first_name,last_name,email,city,tags,notes
        Anna,Schmidt,ANNA@acme.example,Berlin,hot,Met at booth
        Dora,Decker,dora@delta.example,Köln,,
        Dora,D.,Dora@Delta.example,Bonn,vip,

        """

    /// A home with Anna (Hamburg, tag fair) and the duplicates file.
    static func duplicateHome() throws -> (Home, URL) {
        let home = try Home()
        _ = try home.add(["--first-name", "Anna", "--last-name", "Schmidt", "--email", "anna@acme.example", "--city", "Hamburg",
                      "--source", "badge_scan", "--tag", "fair"])
        return (home, try write(home, "dupes.csv", duplicates))
    }

    @Test func duplicatesAreSkippedByDefaultIncludingOnesWithinTheFile() throws {
        let (home, url) = try Self.duplicateHome()
        let out = try home.json(ImportOut.self, ["import", url.path])
        #expect(out.created == 1)
        #expect(out.skippedDuplicates == 2)
        #expect(out.duplicates.map(\.line) == [2, 4])
        #expect(out.duplicates.map(\.fromThisFile) == [false, true])
        let leads = try Self.leads(home)
        #expect(leads.map { $0.fields["city"] } == ["Köln", "Hamburg"])
        #expect(leads[1].tags == ["fair"])

        let text = try home.ok(["import", url.path])
        #expect(text.contains("skipped duplicates  3"))
        #expect(text.contains("line 3  dora@delta.example  lead "))
    }

    @Test func updateSetsDifferingFieldsAddsTagsAndNotesAndIsIdempotent() throws {
        let (home, url) = try Self.duplicateHome()
        let operationsBefore = try home.json(StatusOut.self, ["status"]).operations
        let out = try home.json(ImportOut.self, ["import", url.path, "--on-duplicate", "update"])
        #expect(out.created == 1)
        #expect(out.updated == 2)
        // Dora: create; Anna: set + tag + note; second Dora row: set + tag.
        #expect(out.operations == 1 + 3 + 2)
        #expect(try home.json(StatusOut.self, ["status"]).operations == operationsBefore + 6)
        let leads = try Self.leads(home)
        try #require(leads.count == 2)
        let dora = leads[0]
        #expect(dora.fields == [
            "first_name": "Dora", "last_name": "D.", "email": "dora@delta.example", "city": "Bonn", "source": "import",
        ])
        #expect(dora.tags == ["vip"])
        let anna = try home.json(DetailOut.self, ["show", leads[1].id])
        #expect(anna.lead.fields["city"] == "Berlin")
        #expect(anna.lead.fields["email"] == "anna@acme.example", "the stored email keeps its spelling")
        #expect(anna.lead.fields["source"] == "badge_scan", "a default source never overwrites the lead's own")
        #expect(anna.lead.tags == ["fair", "hot"])
        #expect(anna.notes.map(\.text) == ["Met at booth"])

        let again = try home.json(ImportOut.self, ["import", url.path, "--on-duplicate", "update"])
        #expect(again.created == 0)
        #expect(again.unchanged == 1, "Anna already has everything")
        #expect(again.updated == 2, "each Dora row differs from what the other one left")
        #expect(try home.json(DetailOut.self, ["show", leads[1].id]).notes.count == 1, "notes are not added twice")
    }

    @Test func createMakesNewLeadsAnyway() throws {
        let (home, url) = try Self.duplicateHome()
        let out = try home.json(ImportOut.self, ["import", url.path, "--on-duplicate", "create"])
        #expect(out.created == 3)
        #expect(out.createdDuplicates == 2)
        #expect(try Self.leads(home).count == 4)
    }

    @Test func dryRunReportsPerRowAndWritesNothing() throws {
        let (home, url) = try Self.duplicateHome()
        let before = try home.snapshot()
        let text = try home.ok(["import", url.path, "--dry-run", "--on-duplicate", "update"])
        #expect(text.contains("Dry run of dupes.csv"))
        #expect(text.contains("line 2  would update"))
        #expect(text.contains("line 3  would create"))
        #expect(text.contains("Dora Decker <dora@delta.example>"))
        let out = try home.json(ImportOut.self, ["import", url.path, "--dry-run"])
        #expect(out.outcome == "dry_run")
        #expect(out.dryRun)
        #expect(out.created == 1)
        #expect(out.skippedDuplicates == 2)
        #expect(out.rowResults?.map(\.action) == ["skipped_duplicate", "created", "skipped_duplicate"])
        #expect(try home.snapshot() == before)

        // A dry run with an invalid row predicts the failure and writes no rejected file.
        let bad = try Self.write(home, "bad.csv", ImportCSVTests.oneBadRow)
        let failing = try home.run(["import", bad.path, "--dry-run", "--strict"])
        #expect(failing.status == 65)
        #expect(failing.stdout.contains("line 5:"))
        #expect(failing.stderr.contains("dry run: 1 invalid row; a real import would import nothing"))
        let skipping = try home.run(["import", bad.path, "--dry-run", "--strict", "--skip-invalid"])
        #expect(skipping.status == 0)
        #expect(!FileManager.default.fileExists(atPath: bad.path + ".rejected.csv"))
        #expect(try home.snapshot() == before)
    }

    @Test func mapOverridesTheAutomaticMapping() throws {
        let home = try Home()
        let url = try Self.write(home, "booth.csv", """
            Name,Surname,Mail,Stand,Status,Firma
            Eva,Engel,eva@engel.example,B12,Working - Contacted,Engel AG

            """)
        let out = try home.json(ImportOut.self, [
            "import", url.path, "--map", "Name=first_name", "--map", "Surname=last_name", "--map", "Mail=email",
            "--map", "Stand=x_booth", "--map", "Firma=ignore", "--event", "EuroShop 2026", "--source", "badge_scan",
        ])
        #expect(out.created == 1)
        let lead = try #require(try Self.leads(home).first)
        #expect(lead.fields == [
            "first_name": "Eva", "last_name": "Engel", "email": "eva@engel.example", "x_booth": "B12",
            "event": "EuroShop 2026", "source": "badge_scan",
        ])
        #expect(lead.stage == "sal", "Salesforce's lead status maps onto the lifecycle stage")

        let unknown = try home.run(["import", url.path, "--map", "Telefax=phone"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("--map names column \"Telefax\""))
        let badField = try home.run(["import", url.path, "--map", "Mail=e_mail"])
        #expect(badField.stderr.contains("\"e_mail\" is not a LeadSync field"))
    }

    @Test func semicolonWindows1252FileFromGermanExcel() throws {
        let home = try Home(node: nil)
        try home.ok(["init", "--node", "anna", "--region", "DE"])
        let text = "Vorname;Nachname;E-Mail-Adresse;Firma;Straße;PLZ;Ort;Telefon;Quelle;Bemerkungen;Größe\r\n"
            + "Jürgen;Größmann;j.groessmann@baeckerei.example;\"Bäckerei Größmann; Söhne\";Hauptstraße 5;80331;München;089 123456;Messe;\"Preis 1.200 €, \"\"dringend\"\"\";mittel\r\n"
            + "Zoë;Ærø;zoe@aero.example;Ærø ApS;;;;;;;klein\r\n"
        let bytes = try #require(text.data(using: .windowsCP1252))
        #expect(String(data: bytes, encoding: .utf8) == nil, "the fixture really is not UTF-8")
        let url = home.directory.appending("messe.csv")
        try bytes.write(to: url)
        let out = try home.json(ImportOut.self, ["import", url.path])
        #expect(out.created == 2)
        let leads = try Self.leads(home)
        // Sorted by last name: "Größmann" before "Ærø".
        let detail = try home.json(DetailOut.self, ["show", leads[0].id])
        #expect(detail.lead.fields == [
            "first_name": "Jürgen", "last_name": "Größmann", "email": "j.groessmann@baeckerei.example",
            "company": "Bäckerei Größmann; Söhne", "street": "Hauptstraße 5", "postal_code": "80331", "city": "München",
            "phone": "+4989123456", "source": "booth_conversation", "x_grosse": "mittel",
        ])
        #expect(detail.notes.map(\.text) == ["Preis 1.200 €, \"dringend\""])
        #expect(leads[1].fields["last_name"] == "Ærø")
        #expect(leads[1].fields["first_name"] == "Zoë")
        #expect(leads[1].fields["x_grosse"] == "klein")
    }

    @Test func formatAndFileErrorsAreOneLine() throws {
        let home = try Home()
        let missing = try home.run(["import", home.directory.appending("nope.csv").path])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("cannot read"))
        let url = try Self.write(home, "broken.csv", "email,notes\na@b.example,\"never closed\n")
        let broken = try home.run(["import", url.path])
        #expect(broken.status == 65)
        #expect(broken.stderr.contains("line 2: unterminated quoted field"), "\(broken.stderr)")
        let notVCard = try Self.write(home, "x.vcf", "hello\n")
        #expect(try home.run(["import", notVCard.path]).stderr.contains("is this a vCard file?"))
        #expect(try home.run(["import", url.path, "--on-duplicate", "merge"]).stderr.contains("use skip, update or create"))
        #expect(try home.run(["import", url.path, "--strict", "--rejected", "x.csv"]).status != 0)
    }
}
