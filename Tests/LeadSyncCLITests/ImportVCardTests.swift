import Foundation
import LeadSyncTestSupport
import Testing

/// vCard files from phones, CRMs and card scanners through `leadsync import`, checked field by
/// field in `show --json`.
@Suite struct ImportVCardTests {
    /// Writes `bytes` as a file in the home's directory and imports it; returns the summary.
    static func importFile(
        _ home: Home, name: String, bytes: [UInt8], extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ImportOut {
        let url = home.directory.appending(name)
        try Data(bytes).write(to: url)
        return try home.json(ImportOut.self, ["import", url.path] + extra, sourceLocation: sourceLocation)
    }

    /// The only lead of the home, with its notes.
    static func onlyLead(_ home: Home) throws -> DetailOut {
        let leads = try home.json([LeadOut].self, ["list"])
        try #require(leads.count == 1, "expected one lead, got \(leads.count)")
        return try home.json(DetailOut.self, ["show", leads[0].id])
    }

    @Test func vcard21QuotedPrintableLatin1() throws {
        let home = try Home()
        // 2.1 as old phones and Outlook write it: QUOTED-PRINTABLE over ISO-8859-1 bytes, bare
        // TYPE parameters, a soft line break inside the note.
        let card = """
            BEGIN:VCARD\r
            VERSION:2.1\r
            N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r
            FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller\r
            ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:B=E4ckerei Gr=F6=DFe GmbH;Vertrieb\r
            TITLE;CHARSET=ISO-8859-1:Einkaufsleiter\r
            TEL;WORK;VOICE:+49 89 123456\r
            TEL;CELL:+49 170 1234567\r
            EMAIL;PREF;INTERNET:juergen.mueller@baeckerei.example\r
            ADR;WORK;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=DFe 5;M=FCnchen;Bayern;80331;Deutsch=\r
            land\r
            NOTE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Interesse an Kassensystem, Messe-Gespr=E4ch =\r
            am Stand\r
            END:VCARD\r

            """
        let summary = try Self.importFile(home, name: "outlook.vcf", bytes: Array(card.utf8), extra: ["--event", "Internorga 2026"])
        #expect(summary.created == 1)
        #expect(summary.format == "vcard")
        let detail = try Self.onlyLead(home)
        #expect(detail.lead.fields == [
            "last_name": "Müller", "first_name": "Jürgen", "company": "Bäckerei Größe GmbH", "x_department": "Vertrieb",
            "job_title": "Einkaufsleiter", "phone": "+4989123456", "x_phone_cell": "+491701234567",
            "email": "juergen.mueller@baeckerei.example", "street": "Hauptstraße 5", "city": "München",
            "region": "Bayern", "postal_code": "80331", "country": "DE",
            "source": "business_card", "event": "Internorga 2026",
        ])
        #expect(detail.notes.map(\.text) == ["Interesse an Kassensystem, Messe-Gespräch am Stand"])
        #expect(detail.lead.stage == "lead")
    }

    @Test func vcard30FoldedLinesAndEscapedCommas() throws {
        let home = try Home()
        let card = """
            BEGIN:VCARD
            VERSION:3.0
            N:Dubois;Claire;;Dr.;
            FN:Dr. Claire Dubois
            ORG:Dubois\\, Fils & Cie;Export\\; Übersee
            TITLE:Directrice commerciale
            EMAIL;TYPE=INTERNET,WORK:claire.dubois@dubois-fils.example
            TEL;TYPE=WORK,VOICE:+33 1 23 45 67 89
            ADR;TYPE=WORK:;;12 rue de la Paix\\, Bât. B;Paris;;75002;Fra
             nce
            NOTE:Rencontrée au salon\\, très intéressée par la démo. Rappeler après le
              15 mai\\, pas avant.
            CATEGORIES:vip,salon-2026
            URL:https://dubois-fils.exa
             mple/fr
            X-ABUID:1234-5678
            END:VCARD

            """
        let summary = try Self.importFile(home, name: "apple.vcf", bytes: Array(card.utf8), extra: ["--source", "booth_conversation"])
        #expect(summary.created == 1)
        let detail = try Self.onlyLead(home)
        #expect(detail.lead.fields == [
            "last_name": "Dubois", "first_name": "Claire", "x_name_prefix": "Dr.", "company": "Dubois, Fils & Cie",
            "x_department": "Export; Übersee", "job_title": "Directrice commerciale",
            "email": "claire.dubois@dubois-fils.example", "phone": "+33123456789",
            "street": "12 rue de la Paix, Bât. B", "city": "Paris", "postal_code": "75002", "country": "FR",
            "website": "https://dubois-fils.example/fr", "source": "booth_conversation",
        ])
        #expect(detail.lead.tags == ["salon-2026", "vip"])
        #expect(detail.notes.map(\.text) == ["Rencontrée au salon, très intéressée par la démo. Rappeler après le 15 mai, pas avant."])
    }

    @Test func vcard40MultipleTypedEmailsInAMultiCardFile() throws {
        let home = try Home()
        let file = """
            BEGIN:VCARD
            VERSION:4.0
            FN:Kenji Tanaka
            N:Tanaka;Kenji;;;
            EMAIL;TYPE=home:kenji@home.example
            EMAIL;TYPE=work;PREF=1:k.tanaka@corp.example
            EMAIL;TYPE=other:kenji.t@other.example
            TEL;VALUE=uri;TYPE="voice,cell":tel:+81-90-1234-5678
            ORG:Corp KK
            END:VCARD
            BEGIN:VCARD
            VERSION:4.0
            FN:Sara Lind
            EMAIL;TYPE=work:sara@lind.example
            EMAIL;TYPE=work:s.lind@lind.example
            END:VCARD

            """
        let summary = try Self.importFile(home, name: "contacts", bytes: Array(file.utf8))  // no extension: detected by content
        #expect(summary.format == "vcard")
        #expect(summary.created == 2)
        let leads = try home.json([LeadOut].self, ["list", "--sort", "name"])
        try #require(leads.count == 2)
        #expect(leads[0].fields == [
            "first_name": "Sara", "last_name": "Lind", "email": "sara@lind.example", "x_email_work": "s.lind@lind.example",
            "source": "business_card",
        ])
        #expect(leads[1].fields == [
            "first_name": "Kenji", "last_name": "Tanaka", "email": "k.tanaka@corp.example",
            "x_email_home": "kenji@home.example", "x_email_other": "kenji.t@other.example",
            "phone": "+819012345678", "company": "Corp KK", "source": "business_card",
        ])
    }

    @Test func aBrokenCardIsReportedWithItsFileLineAndSkippable() throws {
        let home = try Home()
        let file = """
            BEGIN:VCARD
            VERSION:3.0
            N:Gut;Gustav
            EMAIL:gustav@gut.example
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            N:Schlecht;Susi
            EMAIL:susi-at-nowhere
            END:VCARD
            BEGIN:VCARD
            VERSION:2.1
            N;ENCODING=QUOTED-PRINTABLE:Kaputt=ZZ
            END:VCARD

            """
        let url = home.directory.appending("mixed.vcf")
        try Data(file.utf8).write(to: url)
        let before = try home.snapshot()
        let failed = try home.run(["import", url.path, "--strict"])
        #expect(failed.status == 65)
        #expect(failed.stdout.contains("line 6: invalid email 'susi-at-nowhere'"), "\(failed.stdout)")
        #expect(failed.stdout.contains("line 13: property N has broken QUOTED-PRINTABLE"), "\(failed.stdout)")
        #expect(failed.stderr.hasPrefix("Error: 2 rows of 3 are invalid"))
        #expect(try home.snapshot() == before)

        let summary = try home.run(["import", url.path, "--strict", "--skip-invalid", "--json"])
        #expect(summary.status == 0)
        let out = try JSONDecoder().decode(ImportOut.self, from: Data(summary.stdout.utf8))
        #expect(out.created == 1)
        #expect(out.invalid == 2)
        let rejectedPath = try #require(out.rejectedFile)
        #expect(rejectedPath.hasSuffix("mixed.vcf.rejected.vcf"))
        let rejected = try String(contentsOfFile: rejectedPath, encoding: .utf8)
        #expect(rejected.contains("N:Schlecht;Susi"))
        #expect(rejected.contains("X-LEADSYNC-IMPORT-ERROR:line 6: invalid email 'susi-at-nowhere'"))
        #expect(rejected.contains("N;ENCODING=QUOTED-PRINTABLE:Kaputt=ZZ"))
        #expect(rejected.components(separatedBy: "BEGIN:VCARD").count == 3)
        #expect(try home.json([LeadOut].self, ["list"]).map { $0.fields["email"] } == ["gustav@gut.example"])
    }
}

/// `import --json`'s summary (Docs/import-export.md).
struct ImportOut: Decodable {
    struct Issue: Decodable {
        let line: Int
        let message: String
    }

    struct Duplicate: Decodable {
        let line: Int
        let email: String
        let existing: String
        let fromThisFile: Bool

        enum CodingKeys: String, CodingKey {
            case line, email, existing
            case fromThisFile = "from_this_file"
        }
    }

    struct RowResult: Decodable {
        let line: Int
        let action: String
        let lead: String?
        let detail: String
    }

    let file: String
    let format: String
    let outcome: String
    let dryRun: Bool
    let rows: Int
    let created: Int
    let updated: Int
    let unchanged: Int
    let skippedDuplicates: Int
    let createdDuplicates: Int
    let invalid: Int
    let operations: Int
    let durationSeconds: Double
    let rejectedFile: String?
    let errors: [Issue]
    let duplicates: [Duplicate]
    let rowResults: [RowResult]?
    let setAside: Int
    let setAsideRows: Int
    let setAsideValues: [SetAside]
    let warningsFile: String?

    struct SetAside: Decodable, Equatable {
        let line: Int
        let field: String
        let value: String
        let reason: String
        let keptAs: String?

        enum CodingKeys: String, CodingKey {
            case line, field, value, reason
            case keptAs = "kept_as"
        }
    }

    enum CodingKeys: String, CodingKey {
        case setAside = "set_aside", setAsideRows = "set_aside_rows", setAsideValues = "set_aside_values"
        case warningsFile = "warnings_file"
        case file, format, outcome, rows, created, updated, unchanged, invalid, operations, errors, duplicates
        case dryRun = "dry_run", skippedDuplicates = "skipped_duplicates", createdDuplicates = "created_duplicates"
        case durationSeconds = "duration_seconds", rejectedFile = "rejected_file", rowResults = "row_results"
    }
}
