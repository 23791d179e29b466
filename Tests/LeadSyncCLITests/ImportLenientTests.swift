import Foundation
import LeadSyncTestSupport
import Testing

/// Rows import whole: invalid values are set aside and reported, `--strict` is all or nothing,
/// and CRM owner, source and country columns fit LeadSync's fields without losing the original.
@Suite struct ImportLenientTests {
    static func write(_ home: Home, _ name: String, _ text: String) throws -> URL {
        let url = home.directory.appending(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func lead(_ home: Home, email: String) throws -> LeadOut {
        let leads = try home.json([LeadOut].self, ["list"])
        return try #require(leads.first { $0.fields["email"] == email }, "no lead with \(email) in \(leads.map(\.fields))")
    }

    static func byEmail(_ home: Home) throws -> [LeadOut] {
        try home.json([LeadOut].self, ["list"]).sorted { ($0.fields["email"] ?? "") < ($1.fields["email"] ?? "") }
    }

    static let awkward = """
        first_name,last_name,email,phone,lifecycle_stage,tags,x_fair
        Anna,Schmidt,anna@acme.example,n/a,hot,vip,Hall 3
        Bernd,Bauer,bernd@beta.example,+49 30 1234567 ext. 12,sql,,
        ,,,,,,only a fair

        """

    @Test func anInvalidValueIsSetAsideAndTheRowImported() throws {
        let home = try Home()
        let url = try Self.write(home, "crm.csv", Self.awkward)
        let result = try home.run(["import", url.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(ImportOut.self, from: Data(result.stdout.utf8))
        #expect(summary.outcome == "committed")
        #expect(summary.created == 2)
        #expect(summary.invalid == 1, "the row with nothing identifying is left out")
        #expect(summary.setAside == 2)
        #expect(summary.setAsideRows == 1)
        #expect(summary.setAsideValues.map(\.field).sorted() == ["lifecycle_stage", "phone"])
        #expect(summary.setAsideValues.first { $0.field == "phone" }?.keptAs == "x_phone_raw")

        let anna = try Self.lead(home, email: "anna@acme.example")
        #expect(anna.fields["phone"] == nil)
        #expect(anna.fields["x_phone_raw"] == "n/a")
        #expect(anna.fields["x_lifecycle_stage_raw"] == "hot")
        #expect(anna.stage == "lead")
        #expect(anna.tags == ["vip"])
        let bernd = try Self.lead(home, email: "bernd@beta.example")
        #expect(bernd.fields["phone"] == "+49301234567;ext=12")

        let bytes = try Data(contentsOf: URL(fileURLWithPath: try #require(summary.warningsFile)))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM for Excel")
        let warnings = String(decoding: bytes, as: UTF8.self)
        #expect(warnings.contains("line,field,value,reason,kept_as\r\n"))
        #expect(warnings.contains("2,phone,n/a,invalid phone 'n/a': not a phone number,x_phone_raw\r\n"), "\(warnings)")
        let rejected = try String(contentsOfFile: try #require(summary.rejectedFile), encoding: .utf8)
        #expect(rejected.contains("only a fair"))
    }

    @Test func strictKeepsAllOrNothing() throws {
        let home = try Home()
        let url = try Self.write(home, "crm.csv", Self.awkward)
        let before = try home.snapshot()
        let result = try home.run(["import", url.path, "--strict"])
        #expect(result.status == 65)
        #expect(result.stdout.contains("line 2: invalid lifecycle_stage 'hot'"), "\(result.stdout)")
        #expect(result.stderr.contains("nothing was imported"))
        #expect(try home.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: url.path + ".warnings.csv"))
    }

    @Test func controlCharactersAreSetAsideWholeNeverCut() throws {
        let home = try Home()
        let url = try Self.write(home, "nul.csv", "first_name,email\r\nAnna,an\u{01}na@acme.example\r\nBen,ben\u{0}@x.example\r\n")
        let summary = try home.json(ImportOut.self, ["import", url.path])
        #expect(summary.created == 2)
        #expect(summary.setAsideValues.map(\.value) == ["an\u{01}na@acme.example", "ben\u{0}@x.example"])
        let warnings = try Data(contentsOf: URL(fileURLWithPath: try #require(summary.warningsFile)))
        #expect(warnings.firstRange(of: Data("an\u{01}na@acme.example".utf8)) != nil)
        #expect(warnings.firstRange(of: Data("ben\u{0}@x.example".utf8)) != nil)
        let leads = try home.json([LeadOut].self, ["list"])
        #expect(leads.allSatisfy { $0.fields["email"] == nil })
    }

    @Test func crmOwnersAndSourcesFitWithoutLosingTheOriginal() throws {
        let home = try Home(node: nil)
        try home.ok(["init", "--node", "anna-schmidt"])
        let url = try Self.write(home, "sf.csv", """
            FirstName,LastName,Email,Lead Owner,LeadSource
            A,One,a@x.example,Anna Schmidt,LinkedIn
            B,Two,b@x.example,Jonas Weber,Google AdWords
            C,Three,c@x.example,sales@x.example,Web

            """)
        let summary = try home.json(ImportOut.self, ["import", url.path])
        #expect(summary.created == 3)
        #expect(summary.setAside == 0)
        let a = try Self.lead(home, email: "a@x.example")
        #expect(a.fields["owner"] == "anna-schmidt")
        #expect(a.fields["source"] == "other")
        #expect(a.fields["x_source_raw"] == "LinkedIn")
        let b = try Self.lead(home, email: "b@x.example")
        #expect(b.fields["owner"] == nil)
        #expect(b.fields["x_owner_name"] == "Jonas Weber")
        #expect(b.fields["x_source_raw"] == "Google AdWords")
        let c = try Self.lead(home, email: "c@x.example")
        #expect(c.fields["owner"] == "sales@x.example")
        #expect(c.fields["source"] == "form")
        #expect(c.fields["x_source_raw"] == nil)
    }

    @Test func countryNamesBecomeCodesAndOtherTextIsKept() throws {
        let home = try Home()
        let url = try Self.write(home, "countries.csv", """
            email,country
            a@x.example,Deutschland
            b@x.example,Germany
            c@x.example,deu
            d@x.example,Allemagne
            e@x.example,Türkei
            f@x.example,Atlantis

            """)
        _ = try home.json(ImportOut.self, ["import", url.path])
        let countries = try Self.byEmail(home).map { $0.fields["country"] ?? "" }
        #expect(countries == ["DE", "DE", "DE", "DE", "TR", "Atlantis"])
        let german = try home.json([LeadOut].self, ["list", "--country", "Deutschland"])
        #expect(german.count == 4)
    }

    @Test func unicodeAndPunycodeDomainsAreOneLead() throws {
        let home = try Home()
        _ = try home.add(["--first-name", "Jan", "--email", "j@XN--MLLER-KVA.DE"])
        let url = try Self.write(home, "idn.csv", """
            first_name,email
            Jan,j@müller.de
            Jana,mailto:jana@müller.de
            Jana,jana@xn--mller-kva.de

            """)
        let summary = try home.json(ImportOut.self, ["import", url.path])
        #expect(summary.created == 1)
        #expect(summary.skippedDuplicates == 2)
        let emails = try Self.byEmail(home).compactMap { $0.fields["email"] }
        #expect(emails == ["j@müller.de", "jana@müller.de"])
    }

    @Test func invalidEmailsAreRefusedLikeEmailValidator() throws {
        let home = try Home()
        for email in ["john..doe@example.com", "john@-example.com", "j@example", "a@x.test", "a b@example.com"] {
            let result = try home.run(["add", "--first-name", "J", "--email", email])
            #expect(result.status != 0, "\(email) was accepted")
            #expect(result.stderr.contains("invalid email"), "\(result.stderr)")
        }
    }

    @Test func typedPhonesUseTheRegionAndShowInternationally() throws {
        let home = try Home(node: nil)
        let initialised = try home.json(InitRegionOut.self, ["init", "--node", "anna", "--region", "Deutschland"])
        #expect(initialised.region == "DE")
        let id = try home.add(["--first-name", "Rita", "--phone", "030 1234567"])
        try home.ok(["set", id, "x_phone_cell=0171 2345678"])
        let lead = try home.json(DetailOut.self, ["show", id]).lead
        #expect(lead.fields["phone"] == "+49301234567")
        #expect(lead.fields["x_phone_cell"] == "+491712345678")
        let text = try home.ok(["show", id])
        #expect(text.contains("+49 30 1234567"), "\(text)")
        let french = try home.add(["--first-name", "Luc", "--phone", "01 23 45 67 89", "--country", "France"])
        #expect(try home.json(DetailOut.self, ["show", french]).lead.fields["phone"] == "+33123456789")
    }

    @Test func blankLinesStayInsideOneNoteOfAForeignFile() throws {
        let home = try Home()
        let url = try Self.write(home, "hubspot.csv", "Email,Notes\r\nn@x.example,\"First paragraph.\r\n\r\nSecond paragraph.\"\r\n")
        _ = try home.json(ImportOut.self, ["import", url.path])
        let lead = try Self.lead(home, email: "n@x.example")
        let notes = try home.json(DetailOut.self, ["show", lead.id]).notes.map(\.text)
        #expect(notes.count == 1)
        #expect(notes.first?.contains("First paragraph.") == true && notes.first?.contains("Second paragraph.") == true)
    }

    @Test func exportWithBomAndTheExcelDialect() throws {
        let home = try Home()
        _ = try home.add(["--first-name", "Jörg", "--email", "j@x.example"])
        let bom = try home.ok(["export", "--format", "csv", "--bom"])
        #expect(bom.hasPrefix("\u{FEFF}first_name,"))
        let excel = try home.ok(["export", "--format", "csv", "--dialect", "excel"])
        #expect(excel.hasPrefix("\u{FEFF}first_name;last_name;"))
        #expect(!(try home.ok(["export", "--format", "csv"])).hasPrefix("\u{FEFF}"))
    }
}

struct InitRegionOut: Decodable {
    let node: String
    let region: String?
}
