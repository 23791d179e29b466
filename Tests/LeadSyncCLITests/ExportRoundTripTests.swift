import Foundation
import LeadSyncTestSupport
import Testing

/// `leadsync export` and the round trip export → import into an empty replica.
@Suite struct ExportRoundTripTests {
    /// A replica with leads that exercise every awkward corner of CSV and vCard.
    static func richHome() throws -> Home {
        let home = try Home()
        let jurgen = try home.add([
            "--first-name", "Jürgen", "--last-name", "Größe-O'Brien", "--email", "j.groesse@baeckerei.example",
            "--company", "Bäckerei \"Zur Mühle\", Söhne & Co", "--phone", "+49 (89) 123-456", "--title", "Leiter, Einkauf",
            "--street", "Hauptstraße 5; Hinterhaus", "--postal-code", "80331", "--city", "München", "--region", "Bayern",
            "--country", "Deutschland", "--website", "https://baeckerei.example/a?b=c", "--source", "badge_scan",
            "--event", "Internorga 2026", "--owner", "anna", "--kind", "prospect", "--stage", "sql",
            "--tag", "hot", "--tag", "bäcker", "--tag", "q3;maybe", "--field", "x_budget=50.000 €",
            "--field", "x_email_home=juergen@privat.example", "--field", "x_phone_cell=0170 1234567",
            "--field", "x_interests=Kassen, Waagen; \"Öfen\"",
            "--note", "Erstes Gespräch am Stand:\nwill Demo\n\nim Mai, nicht vorher",
        ])
        try home.ok(["note", jurgen, "Zweite Notiz mit \"Anführungszeichen\", Komma; Semikolon\n\\\n\\\\ und Backslashes"])
        _ = try home.add(["--company", "Solo GmbH"])  // no source, no names, stage lead
        _ = try home.add([
            "--first-name", "Zoë", "--last-name", "Ærø", "--email", "zoe@aero.example", "--stage", "disqualified",
            "--kind", "partner", "--tag", "partner", "--field", "x_notes_internal=line1\nline2",
        ])
        let deleted = try home.add(["--first-name", "Gone", "--email", "gone@x.example"])
        try home.ok(["delete", deleted])
        return home
    }

    /// Every lead's content as `export --format jsonl` shows it, without ids, times and authors.
    static func contents(_ home: Home) throws -> [String] {
        let lines = try home.ok(["export", "--format", "jsonl"]).split(separator: "\n")
        return try lines.map { line in
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["id", "created_at", "created_by", "updated_at"] { object.removeValue(forKey: key) }
            let notes = try #require(object["notes"] as? [[String: Any]])
            object["notes"] = notes.map { $0["text"] as? String ?? "?" }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }.sorted()
    }

    @Test("export → import into an empty replica gives identical records", arguments: ["csv", "vcard"])
    func roundTrip(format: String) throws {
        let source = try Self.richHome()
        let file = source.directory.appending("export.\(format == "csv" ? "csv" : "vcf")")
        let printed = try source.ok(["export", "--format", format, "--output", file.path])
        #expect(printed == "exported 3 leads to \(file.path)\n")
        let expected = try Self.contents(source)
        #expect(expected.count == 3)
        #expect(expected.contains { $0.contains("Zweite Notiz") && $0.contains("im Mai, nicht vorher") })

        let target = try Home(node: "bernd")
        let summary = try target.json(ImportOut.self, ["import", file.path])
        #expect(summary.created == 3)
        #expect(summary.invalid == 0)
        #expect(try Self.contents(target) == expected)
        let solo = try #require(try target.json([LeadOut].self, ["list", "--search", "Solo"]).first)
        #expect(solo.fields["source"] == nil, "a LeadSync export gets no default source")

        // Standard output gives the same bytes as --output.
        let stdout = try source.ok(["export", "--format", format])
        #expect(Data(stdout.utf8) == (try Data(contentsOf: file)))
    }

    @Test func csvDialectsFiltersAndAtomicOutput() throws {
        let home = try Self.richHome()
        let csv = try home.ok(["export", "--dialect", "hubspot", "--tag", "hot"])
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("First Name,Last Name,Email,Phone Number,Company Name,Job Title"))
        #expect(lines[0].contains("Lifecycle Stage"))
        // Custom fields get readable labels that import back to the same x_ field.
        #expect(lines[0].hasSuffix("Tags,Notes,Budget,Email Home,Interests,Mobile Phone Number"), "\(lines[0])")
        #expect(lines.count == 3, "header, one lead, empty last line")
        #expect(lines[1].contains("salesqualifiedlead"))

        let salesforce = try home.ok(["export", "--dialect", "salesforce", "--stage", "disqualified"])
        #expect(salesforce.hasPrefix("First Name,Last Name,Email,Phone,Company,Title"))
        #expect(salesforce.contains("Closed - Not Converted"))
        #expect(salesforce.contains(",Description,Notes Internal\r\n"))
        #expect(!salesforce.contains("Budget"), "only custom fields of the exported leads are columns")

        let all = try home.ok(["export", "--deleted", "--format", "jsonl"]).split(separator: "\n")
        #expect(all.count == 4)

        let vcf = try home.ok(["export", "--format", "vcard", "--search", "Solo"])
        #expect(vcf.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//LeadSync//LeadSync CLI//EN\r\n"))
        #expect(vcf.contains("ORG:Solo GmbH\r\n"))

        // --output replaces the file atomically and leaves no temporary file behind.
        let out = home.directory.appending("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let target = out.appendingPathComponent("leads.csv")
        try Data("old content".utf8).write(to: target)
        try home.ok(["export", "--output", target.path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["leads.csv"])
        #expect(try String(contentsOf: target, encoding: .utf8).hasPrefix("first_name,last_name,email"))

        // A failing export (bad filter) leaves the old file untouched.
        try Data("old content".utf8).write(to: target)
        let failed = try home.run(["export", "--output", target.path, "--stage", "nonsense"])
        #expect(failed.status == 65)
        #expect(try String(contentsOf: target, encoding: .utf8) == "old content")
        let noDir = try home.run(["export", "--output", home.directory.appending("missing/dir/x.csv").path])
        #expect(noDir.status == 74)
        #expect(noDir.stderr.hasPrefix("Error: cannot write"))
        #expect(try home.run(["export", "--format", "jsonl", "--dialect", "hubspot"]).stderr.contains("--dialect applies to --format csv only"))
    }
}
