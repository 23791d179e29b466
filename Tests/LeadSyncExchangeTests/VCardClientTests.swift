import Foundation
import LeadSyncExchange
import Testing

/// Cards as real address books write them. Every fixture is written for this test, modelled on
/// what each client is known to produce (line ends, versions, parameters, escaping).
@Suite("vCard from real clients")
struct VCardClientTests {
    static func only(_ data: Data) throws -> LeadDraft {
        let drafts = try VCardParser.parse(data)
        try #require(drafts.count == 1, "expected one card, got \(drafts.count)")
        return drafts[0]
    }

    @Test("RFC 6350 example: TEL as a tel: URI with an extension")
    func rfc6350TelURI() throws {
        let draft = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:4.0", "FN:Simon Perreault", "N:Perreault;Simon;;;ing. jr,M.Sc.",
            "ORG:Viagenie;", "TEL;VALUE=uri;PREF=1;TYPE=\"voice,home\":tel:+1-555-555-5555;ext=5555",
            "TEL;VALUE=uri;TYPE=\"work,cell,voice,video,text\":tel:+1-418-656-9254;ext=102",
            "EMAIL;TYPE=work:simon.perreault@viagenie.ca", "END:VCARD"))
        #expect(draft.fields["phone"] == "+1-555-555-5555;ext=5555")
        #expect(draft.fields.values.contains("+1-418-656-9254;ext=102"))
        #expect(draft.fields["company"] == "Viagenie")
    }

    @Test("Android: CATEGORIES with a space becomes one tag")
    func androidCategories() throws {
        let draft = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:2.1", "N:Becker;Lena;;;", "FN:Lena Becker", "TEL;CELL:+49 151 23456789",
            "CATEGORIES:My Contacts", "END:VCARD"))
        #expect(draft.tags == ["My-Contacts"])
    }

    @Test("Thunderbird: escaped commas separate categories")
    func thunderbirdEscapedCommas() throws {
        let draft = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:4.0", "N:Vogel;Tom;;;", "FN:Tom Vogel", "EMAIL;PREF=1:tom@vogel.example",
            "CATEGORIES:Kunden\\,VIP,Messe 2026", "END:VCARD"))
        #expect(draft.tags == ["Kunden", "VIP", "Messe-2026"])
    }

    @Test("iPhone: CR CR LF line ends, folded lines still unfold")
    func iPhoneCRCRLF() throws {
        let text = "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Keller;Mia;;;\r\r\nFN:Mia Keller\r\r\n"
            + "NOTE:Met at the booth and talked about the new\r\r\n  product line\r\r\n"
            + "item1.TEL;type=pref:+41 44 668 18 00\r\r\nEND:VCARD\r\r\n"
        let draft = try Self.only(Data(text.utf8))
        #expect(draft.fields["last_name"] == "Keller")
        #expect(draft.notes == ["Met at the booth and talked about the new product line"])
        #expect(draft.fields["phone"] == "+41 44 668 18 00")
    }

    @Test("Two ORG properties: the second is kept")
    func twoOrganisations() throws {
        let draft = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:3.0", "N:Roth;Eva;;;", "ORG:Acme GmbH;Vertrieb", "ORG:Tennisclub Blau-Weiß",
            "END:VCARD"))
        #expect(draft.fields["company"] == "Acme GmbH")
        #expect(draft.fields["x_department"] == "Vertrieb")
        #expect(draft.fields["x_company_2"] == "Tennisclub Blau-Weiß")
    }

    @Test("Outlook 2003: vCard 2.1 with QUOTED-PRINTABLE note and bare types")
    func outlook2003() throws {
        let draft = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:2.1", "N;LANGUAGE=de:Hoffmann;Klaus", "FN:Klaus Hoffmann", "ORG:Hoffmann KG",
            "TITLE:Einkauf", "TEL;WORK;VOICE:(089) 123456", "TEL;WORK;FAX:(089) 123457",
            "NOTE;ENCODING=QUOTED-PRINTABLE:Zeile eins=0D=0A=0D=0AZeile zwei", "EMAIL;PREF;INTERNET:k.hoffmann@hoffmann.example",
            "REV:20260101T120000Z", "END:VCARD"))
        #expect(draft.fields["phone"] == "(089) 123456")
        #expect(draft.fields["x_phone_fax"] == "(089) 123457")
        #expect(draft.notes == ["Zeile eins\r\n\r\nZeile zwei"])
    }

    @Test("Outlook 2007 and Gmail: vCard 3.0 with TYPE lists and grouped items")
    func outlook2007AndGmail() throws {
        let outlook = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:3.0", "N:Schulz;Petra", "FN:Petra Schulz", "ORG:Schulz AG",
            "TEL;TYPE=WORK,VOICE:+49 40 1234567", "TEL;TYPE=CELL,VOICE:+49 170 1234567",
            "EMAIL;TYPE=PREF,INTERNET:petra@schulz.example", "END:VCARD"))
        #expect(outlook.fields["phone"] == "+49 40 1234567")
        #expect(outlook.fields["x_phone_cell"] == "+49 170 1234567")
        let gmail = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:3.0", "FN:Paul Weiss", "N:Weiss;Paul;;;", "EMAIL;TYPE=INTERNET;TYPE=WORK:paul@weiss.example",
            "TEL;TYPE=CELL:0171 9876543", "item1.ORG:Weiss Consulting", "item1.X-ABLabel:", "END:VCARD"))
        #expect(gmail.fields["email"] == "paul@weiss.example")
        #expect(gmail.fields["company"] == "Weiss Consulting")
    }

    @Test("Evolution, Lotus Notes, BlackBerry and macOS Contacts")
    func otherClients() throws {
        let evolution = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:3.0", "UID:pas-id-5A1B2C3D", "X-EVOLUTION-FILE-AS:Braun\\, Ute", "FN:Ute Braun",
            "N:Braun;Ute;;;", "EMAIL;TYPE=WORK;X-EVOLUTION-UI-SLOT=1:ute@braun.example", "END:VCARD"))
        #expect(evolution.fields["email"] == "ute@braun.example")
        let notes = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:2.1", "N:Lang;Otto", "FN:Otto Lang", "ORG:Lang & Söhne;Entwicklung",
            "TEL;WORK:+43 1 2345678", "X-LOTUS-CHILD-UID:8A1F", "END:VCARD"))
        #expect(notes.fields["company"] == "Lang & Söhne")
        #expect(notes.fields["phone"] == "+43 1 2345678")
        let blackberry = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:2.1", "N:Kaya;Deniz", "TEL;WORK:+90 212 343 01 42 ext. 12", "TEL;CELL:none",
            "END:VCARD"))
        #expect(blackberry.fields["phone"] == "+90 212 343 01 42 ext. 12")
        #expect(blackberry.fields["x_phone_cell"] == "none", "the placeholder reaches the importer, which sets it aside")
        let macOS = try Self.only(crlf(
            "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 15.0//EN", "N:Meier;Sophie;;;", "FN:Sophie Meier",
            "item1.EMAIL;type=INTERNET;type=pref:sophie@meier.example", "item1.X-ABLabel:_$!<Other>!$_",
            "CATEGORIES:Kunden,Messe", "END:VCARD"))
        #expect(macOS.fields["email"] == "sophie@meier.example")
        #expect(macOS.tags == ["Kunden", "Messe"])
    }

    @Test("RFC 2426 example card")
    func rfc2426() throws {
        let draft = try Self.only(crlf(
            "BEGIN:vCard", "VERSION:3.0", "FN:Frank Dawson", "ORG:Lotus Development Corporation",
            "ADR;TYPE=WORK,POSTAL,PARCEL:;;6544 Battleford Drive;Raleigh;NC;27613-3502;U.S.A.",
            "TEL;TYPE=VOICE,MSG,WORK:+1-919-676-9515", "TEL;TYPE=FAX,WORK:+1-919-676-9564",
            "EMAIL;TYPE=INTERNET,PREF:Frank_Dawson@Lotus.com", "EMAIL;TYPE=INTERNET:fdawson@earthlink.net",
            "URL:http://home.earthlink.net/~fdawson", "END:vCard"))
        #expect(draft.fields["phone"] == "+1-919-676-9515")
        #expect(draft.fields["country"] == "U.S.A.")
        #expect(draft.fields["email"] == "Frank_Dawson@Lotus.com")
    }
}
