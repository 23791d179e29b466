import Foundation
import LeadSyncExchange
import Testing

@Suite("vCard writing")
struct VCardWriterTests {
    static let tricky: [LeadDraft] = [
        LeadDraft(
            fields: [
                "first_name": "Jürgen", "last_name": "Müller-Lüdenscheidt", "email": "jm@example.de",
                "x_email_home": "j@home.example", "x_email_2": "other@example.org",
                "phone": "+49 30 1234", "x_phone_cell": "+49 170 5555",
                "company": "Bäcker, Söhne & Co; \"Die Besten\"", "x_department": "Einkauf; Nord",
                "job_title": "Geschäftsführer", "street": "Königsallee 1", "postal_code": "40212",
                "city": "Düsseldorf", "region": "NRW", "country": "Deutschland",
                "website": "https://example.de/a,b;c", "source": "badge_scan", "event": "Messe 2025",
                "owner": "rep@leadsync.example", "lifecycle_stage": "mql", "kind": "prospect",
                "x_industry": "Bäckerei", "x_email_opt_out": "true", "x_middle_name": "Karl",
                "x_booth_note": String(repeating: "äöü€😀", count: 30),
            ],
            // No comma: a tag never holds one, and a comma in CATEGORIES separates tags even escaped.
            tags: ["Fair-2025", "VIP;Gold", "back\\slash"],
            notes: ["First line\nsecond line with \"quotes\", commas; semicolons", "Zweite Notiz: Grüße\n\nnach Leerzeile"]
        ),
        LeadDraft(fields: ["company": "Only Company GmbH"]),
        LeadDraft(fields: ["last_name": "Solo", "x_phone_fax": "+1 555 0100"], tags: ["a"]),
    ]

    @Test("Parsing written vCards gives the same drafts")
    func roundTrip() throws {
        let text = VCardWriter.write(Self.tricky)
        let parsed = try VCardParser.parse(Data(text.utf8))
        #expect(parsed == Self.tricky)
    }

    @Test("Lines end in CRLF, are at most 75 octets and never split a UTF-8 character")
    func folding() throws {
        let text = VCardWriter.write(Self.tricky)
        let bytes = Array(text.utf8)
        #expect(text.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\n"))
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)")
                lines.append(current.dropLast(1))
                current = []
            } else {
                current.append(byte)
            }
        }
        #expect(current.isEmpty)
        #expect(lines.contains { $0.count == 75 }, "the long custom field must have been folded")
        for line in lines {
            #expect(line.count <= 75)
            #expect(String(validating: line, as: UTF8.self) != nil, "fold split a character")
        }
    }

    @Test("Secondary emails and phones are written as native typed properties")
    func nativeProperties() {
        let text = VCardWriter.write([Self.tricky[0]])
        #expect(text.contains("EMAIL;PREF=1:jm@example.de\r\n"))
        #expect(text.contains("EMAIL;TYPE=home;X-LEADSYNC-FIELD=x_email_home:j@home.example\r\n"))
        #expect(text.contains("TEL;VALUE=text;TYPE=cell;X-LEADSYNC-FIELD=x_phone_cell:+49 170 5555\r\n"))
        #expect(text.contains("CATEGORIES:Fair-2025,VIP\\;Gold,back\\\\slash\r\n"))
        #expect(text.contains("X-LEADSYNC-LIFECYCLE-STAGE:mql\r\n"))
        #expect(text.contains("X-LEADSYNC-X-EMAIL-OPT-OUT:true\r\n"))
    }
}
