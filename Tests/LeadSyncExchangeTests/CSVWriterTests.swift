import Foundation
import LeadSyncExchange
import Testing

/// Reads CSV text back into drafts with the standard reader and mapping.
func importCSV(_ text: String) throws -> [LeadDraft] {
    var reader = try CSVReader(data: Data(text.utf8))
    let mapping = try ColumnMapping(header: reader.header.fields)
    var drafts: [LeadDraft] = []
    while let record = try reader.next() { drafts.append(mapping.draft(from: record)) }
    return drafts
}

@Suite("CSV writing")
struct CSVWriterTests {
    static let drafts: [LeadDraft] = [
        LeadDraft(
            fields: [
                "first_name": "Jürgen", "last_name": "Müller, \"Jr.\"", "email": "jm@example.de",
                "company": "Bäcker; Söhne", "city": "Düsseldorf", "source": "badge_scan", "lifecycle_stage": "sal",
                "x_industry": "Bäckerei", "x_email_2": "second@example.org", "x_booth": "Halle 3, Stand 4",
            ],
            tags: ["Fair, 2025", "VIP;Gold", "back\\slash", "\\"],
            notes: [
                "Line one\nLine \"two\", with comma; and semicolon",
                "Paragraph A\n\nParagraph B after a blank line",
                "\\\nbackslash-only line above",
                "Windows\r\nline break",
            ]
        ),
        LeadDraft(fields: ["last_name": "Solo"]),
        LeadDraft(fields: ["company": "Tags Only Ltd"], tags: ["a"], notes: ["n"]),
    ]

    @Test("leadsync CSV reads back to identical drafts", arguments: [CSVDelimiter.comma, .semicolon, .tab])
    func roundTrip(delimiter: CSVDelimiter) throws {
        let text = CSVWriter.string(from: Self.drafts, delimiter: delimiter)
        #expect(try importCSV(text) == Self.drafts)
    }

    @Test("Streaming into a sink writes the header once, then rows; BOM for Excel")
    func streaming() throws {
        let writer = CSVWriter(customFields: CSVWriter.customFields(in: Self.drafts), delimiter: .semicolon, byteOrderMark: true)
        var chunks: [String] = []
        try writer.write(Self.drafts) { chunks.append($0) }
        #expect(chunks.count == 4)
        #expect(chunks[0].hasPrefix("\u{FEFF}first_name;last_name;email;phone;"))
        #expect(chunks[0].hasSuffix(";tags;notes;x_booth;x_email_2;x_industry\r\n"))
        #expect(try importCSV(chunks.joined()) == Self.drafts)
    }

    @Test("Fields with delimiter, quote or line break are quoted")
    func quoting() throws {
        let writer = CSVWriter()
        let line = try writer.line(for: LeadDraft(fields: ["first_name": "a,b", "last_name": "say \"hi\"", "city": "x\ny", "country": "plain"]))
        #expect(line.hasPrefix("\"a,b\",\"say \"\"hi\"\"\",,,,,,,\"x\ny\",,plain,"))
        #expect(line.hasSuffix("\r\n"))
    }

    @Test("A field missing from the header is an error, not silent data loss")
    func unlistedField() {
        let writer = CSVWriter(customFields: ["x_a"])
        #expect(throws: ExchangeError.csvUnlistedField(field: "x_b")) {
            try writer.line(for: LeadDraft(fields: ["x_a": "1", "x_b": "2"]))
        }
    }

    @Test("HubSpot dialect uses HubSpot labels and lifecycle values")
    func hubspot() throws {
        let draft = LeadDraft(fields: [
            "first_name": "Ann", "company": "Acme", "lifecycle_stage": "mql", "x_phone_cell": "+49 170", "x_lead_status": "NEW",
        ])
        let text = CSVWriter.string(from: [draft], dialect: .hubspot)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "First Name,Last Name,Email,Phone Number,Company Name,Job Title,Street Address,Postal Code,City,"
            + "State/Region,Country/Region,Website URL,Source,Event,Contact owner,Lifecycle Stage,Kind,Tags,Notes,"
            + "x_lead_status,Mobile Phone Number")
        #expect(lines[1] == "Ann,,,,Acme,,,,,,,,,,,marketingqualifiedlead,,,,NEW,+49 170")
        let back = try #require(try importCSV(text).first)
        #expect(back == draft)
    }

    @Test("Salesforce dialect uses wizard labels, Lead Source and Lead Status values")
    func salesforce() throws {
        let drafts = [
            LeadDraft(fields: ["last_name": "Lee", "company": "Lee Ltd", "source": "booth_conversation", "lifecycle_stage": "customer"],
                      notes: ["Met at booth"]),
            LeadDraft(fields: ["last_name": "Kim", "source": "form", "lifecycle_stage": "disqualified", "x_industry": "Retail",
                               "x_number_of_employees": "12"]),
        ]
        let text = CSVWriter.string(from: drafts, dialect: .salesforce)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "First Name,Last Name,Email,Phone,Company,Title,Street,Zip/Postal Code,City,State/Province,"
            + "Country,Website,Lead Source,Event,Lead Owner,Lead Status,Kind,Tags,Description,Industry,No. of Employees")
        #expect(lines[1] == ",Lee,,,Lee Ltd,,,,,,,,Trade Show,,,Closed - Converted,,,Met at booth,,")
        #expect(lines[2] == ",Kim,,,,,,,,,,,Web,,,Closed - Not Converted,,,,Retail,12")
        #expect(try importCSV(text) == drafts)
    }

    @Test("Writes to a FileHandle")
    func fileHandle() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-out-\(UUID().uuidString).csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let writer = CSVWriter(customFields: CSVWriter.customFields(in: Self.drafts))
        try writer.write(Self.drafts, to: handle)
        try handle.close()
        #expect(try importCSV(String(decoding: Data(contentsOf: url), as: UTF8.self)) == Self.drafts)
    }
}
