import Foundation
import LeadSyncExchange
import Testing

/// Joins lines with CRLF, as vCard files are written.
func crlf(_ lines: String...) -> Data {
    Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
}

@Suite("vCard parsing")
struct VCardParserTests {
    @Test("2.1: QUOTED-PRINTABLE in ISO-8859-1 with soft line breaks")
    func quotedPrintableLatin1() throws {
        let data = crlf(
            "BEGIN:VCARD",
            "VERSION:2.1",
            "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen",
            "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller",
            "TEL;WORK;VOICE:+49 30 1234",
            "TEL;CELL:+49 170 5555",
            "EMAIL;INTERNET;PREF:juergen@example.de",
            "ADR;WORK;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=",
            "=DFe 1;M=FCnchen;Bayern;80331;=",
            "Deutschland",
            "NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0Asecond line",
            "END:VCARD"
        )
        let drafts = try VCardParser.parse(data)
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.fields["last_name"] == "Müller")
        #expect(draft.fields["first_name"] == "Jürgen")
        #expect(draft.fields["phone"] == "+49 30 1234")
        #expect(draft.fields["x_phone_cell"] == "+49 170 5555")
        #expect(draft.fields["email"] == "juergen@example.de")
        #expect(draft.fields["street"] == "Hauptstraße 1")
        #expect(draft.fields["city"] == "München")
        #expect(draft.fields["region"] == "Bayern")
        #expect(draft.fields["postal_code"] == "80331")
        #expect(draft.fields["country"] == "Deutschland")
        #expect(draft.notes == ["first line\r\nsecond line"])
    }

    @Test("2.1: Windows-1252 bytes, declared and undeclared")
    func windows1252() throws {
        var bytes = Array("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nNOTE;CHARSET=WINDOWS-1252:Preis 100 ".utf8)
        bytes += [0x80, 0x20, 0x96, 0x20] + Array("inkl. MwSt\r\nORG:M".utf8)
        bytes += [0xFC] + Array("ller ".utf8) + [0x96] + Array(" S".utf8) + [0xF6] + Array("hne\r\n".utf8)
        bytes += Array("TITLE;CHARSET=ISO-8859-1:Gesch".utf8) + [0xE4, 0x66, 0x74, 0x73, 0x66, 0xFC, 0x68, 0x72, 0x65, 0x72]
        bytes += Array("\r\nEND:VCARD\r\n".utf8)
        let draft = try #require(try VCardParser.parse(Data(bytes)).first)
        #expect(draft.notes == ["Preis 100 € – inkl. MwSt"])
        #expect(draft.fields["company"] == "Müller – Söhne")
        #expect(draft.fields["job_title"] == "Geschäftsführer")
    }

    @Test("3.0: folded lines and escaped commas in ORG, NOTE, CATEGORIES")
    func foldingAndEscapes() throws {
        let data = crlf(
            "BEGIN:VCARD",
            "VERSION:3.0",
            "N:Doe;Jane;;;",
            "FN:Jane Doe",
            "ORG:Acme\\, Inc.;Research\\, Development",
            "NOTE:Met at booth 4\\, hall B.\\nWants a demo\\; call Tuesday. This line is lo",
            " ng and folded\\, twice:",
            "\t here.",
            "CATEGORIES:Fair 2025,Hot\\, very,VIP",
            "TITLE:Head of R&D",
            "item1.EMAIL;TYPE=INTERNET,WORK:jane@acme.example",
            "PHOTO;ENCODING=b;TYPE=JPEG:AAAA",
            "END:VCARD"
        )
        let draft = try #require(try VCardParser.parse(data).first)
        #expect(draft.fields["company"] == "Acme, Inc.")
        #expect(draft.fields["x_department"] == "Research, Development")
        #expect(draft.notes == ["Met at booth 4, hall B.\nWants a demo; call Tuesday. This line is long and folded, twice: here."])
        // A tag holds no comma or space: escaped commas separate, spaces become '-'.
        #expect(draft.tags == ["Fair-2025", "Hot", "very", "VIP"])
        #expect(draft.fields["job_title"] == "Head of R&D")
        #expect(draft.fields["email"] == "jane@acme.example")
        #expect(draft.fields["first_name"] == "Jane")
        #expect(draft.fields["last_name"] == "Doe")
    }

    @Test("4.0: typed EMAIL and TEL each land in the right field")
    func typedValues() throws {
        let data = crlf(
            "BEGIN:VCARD",
            "VERSION:4.0",
            "N:Schmidt;Anna;Maria;Dr.;",
            "FN:Dr. Anna Maria Schmidt",
            "EMAIL;TYPE=home:anna@home.example",
            "EMAIL;TYPE=work:anna.schmidt@corp.example",
            "EMAIL;PREF=1;TYPE=work:a.schmidt@corp.example",
            "EMAIL:anna.other@example.org",
            "TEL;VALUE=uri;TYPE=\"work,voice\":tel:+49-30-111",
            "TEL;TYPE=cell:+49 170 222",
            "TEL;TYPE=\"work,fax\":+49 30 333",
            "TEL;TYPE=home;PREF=1:+49 30 444",
            "URL:https://corp.example/a,b",
            "ADR;TYPE=home:;;Privatweg 2;Potsdam;;14467;Germany",
            "ADR;TYPE=work:;Floor 3;Unter den Linden 1;Berlin;Berlin;10117;Germany",
            "TITLE:CTO",
            "X-UNKNOWN;FOO=bar:ignored",
            "END:VCARD"
        )
        let draft = try #require(try VCardParser.parse(data).first)
        let expected: [String: String] = [
            "first_name": "Anna", "last_name": "Schmidt", "x_middle_name": "Maria", "x_name_prefix": "Dr.",
            "email": "a.schmidt@corp.example", "x_email_home": "anna@home.example",
            "x_email_work": "anna.schmidt@corp.example", "x_email_2": "anna.other@example.org",
            "phone": "+49 30 444", "x_phone_work": "+49-30-111", "x_phone_cell": "+49 170 222",
            "x_phone_fax": "+49 30 333", "website": "https://corp.example/a,b",
            "street": "Unter den Linden 1, Floor 3", "city": "Berlin", "region": "Berlin",
            "postal_code": "10117", "country": "Germany", "job_title": "CTO",
        ]
        for (field, value) in expected {
            #expect(draft.fields[field] == value, "field \(field)")
        }
        #expect(draft.fields.count == expected.count)
    }

    @Test("Without PREF the work address and email win; FN fills names only without N")
    func fallbacks() throws {
        let data = crlf(
            "BEGIN:VCARD", "VERSION:3.0", "FN:Anna Maria Schmidt",
            "EMAIL;TYPE=INTERNET;TYPE=HOME:home@example.org",
            "EMAIL;TYPE=INTERNET;TYPE=WORK:work@example.org",
            "EMAIL;TYPE=INTERNET;TYPE=HOME:home2@example.org",
            "TEL;TYPE=WORK;TYPE=FAX:+1 555 0100",
            "TEL:+1 555 0199",
            "NOTE:upper\\Nlower \\\\ C:\\temp",
            "END:VCARD"
        )
        let draft = try #require(try VCardParser.parse(data).first)
        #expect(draft.fields["first_name"] == "Anna Maria")
        #expect(draft.fields["last_name"] == "Schmidt")
        #expect(draft.fields["email"] == "work@example.org")
        #expect(draft.fields["x_email_home"] == "home@example.org")
        #expect(draft.fields["x_email_home_2"] == "home2@example.org")
        #expect(draft.fields["phone"] == "+1 555 0199")
        #expect(draft.fields["x_phone_fax"] == "+1 555 0100")
        #expect(draft.notes == ["upper\nlower \\ C:\\temp"])
    }

    @Test("Every card of a file becomes a draft")
    func threeCards() throws {
        let data = Data("""
        BEGIN:VCARD
        VERSION:3.0
        N:One;Ann
        END:VCARD

        begin:vcard
        version:4.0
        fn:Bob Two
        end:vcard
        BEGIN:VCARD
        VERSION:2.1
        N:Three;Cem
        END:VCARD
        """.utf8)
        let drafts = try VCardParser.parse(data)
        #expect(drafts.map { $0.fields["last_name"] } == ["One", "Two", "Three"])
        #expect(drafts.map { $0.fields["first_name"] } == ["Ann", "Bob", "Cem"])
        #expect(try VCardParser.parse(Data("\n  \n".utf8)).isEmpty)
    }

    @Test("Errors name the line", arguments: [
        ("BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\n", ExchangeError.vcardMissingEnd(beginLine: 5)),
        ("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n", .vcardNestedBegin(line: 3, openedAt: 1)),
        ("BEGIN:VCARD\nFN:A\nEND:VCARD\nhello world\n", .vcardTextOutsideCard(line: 4, excerpt: "hello world")),
        ("BEGIN:VCARD\nVERSION:2.1\nNOTE;ENCODING=QUOTED-PRINTABLE:abc=ZZ\nEND:VCARD\n",
         .vcardInvalidQuotedPrintable(line: 3, property: "NOTE")),
        ("BEGIN:VCARD\nFN:A\nthis has no colon\nEND:VCARD\n", .vcardMalformedProperty(line: 3, excerpt: "this has no colon")),
        ("BEGIN:VCARD\nN;CHARSET=SHIFT_JIS:x\nEND:VCARD\n",
         .vcardUnsupportedCharset(line: 2, property: "N", charset: "SHIFT_JIS")),
    ])
    func errors(input: String, expected: ExchangeError) {
        #expect(throws: expected) { try VCardParser.parse(Data(input.utf8)) }
    }

    @Test("Error messages are actionable")
    func errorMessage() {
        let error = ExchangeError.vcardMissingEnd(beginLine: 12)
        #expect(error.description == "line 12: vCard starts here but has no END:VCARD; the file may be truncated")
        #expect(ExchangeError.vcardInvalidQuotedPrintable(line: 3, property: "NOTE").description.hasPrefix("line 3: property NOTE"))
    }
}
