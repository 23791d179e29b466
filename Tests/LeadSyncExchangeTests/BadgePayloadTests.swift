import Foundation
import LeadSyncExchange
import Testing

@Suite("Badge payloads")
struct BadgePayloadTests {
    @Test("MECARD with escapes")
    func mecard() throws {
        let draft = try BadgePayload.parse(
            #"MECARD:N:Doe,John;TEL:+49301234;TEL:+49 170 1;EMAIL:john@example.com;ORG:Acme\; Co\, KG;"#
                + #"TITLE:CTO;URL:https\://acme.example;ADR:Main St 1\, 10115 Berlin;NOTE:Met at booth\: 12 \\ hall 3;;"#
        )
        #expect(draft.fields == [
            "last_name": "Doe", "first_name": "John", "phone": "+49301234", "x_phone_2": "+49 170 1",
            "email": "john@example.com", "company": "Acme; Co, KG", "job_title": "CTO",
            "website": "https://acme.example", "street": "Main St 1, 10115 Berlin",
        ])
        #expect(draft.notes == [#"Met at booth: 12 \ hall 3"#])
    }

    @Test("MECARD with a DoCoMo seven-part address")
    func mecardAddress() throws {
        let draft = try BadgePayload.parse("mecard:N:Roe,Jane;ADR:,,Hauptstr. 5,Köln,NRW,50667,DE;;")
        #expect(draft.fields["street"] == "Hauptstr. 5")
        #expect(draft.fields["city"] == "Köln")
        #expect(draft.fields["postal_code"] == "50667")
        #expect(draft.fields["country"] == "DE")
    }

    @Test("vCard in a QR code")
    func vcard() throws {
        let draft = try BadgePayload.parse("""

        BEGIN:VCARD
        VERSION:3.0
        N:Doe;John;;;
        ORG:Acme
        EMAIL;TYPE=WORK:john@acme.example
        END:VCARD
        """)
        #expect(draft.fields == ["last_name": "Doe", "first_name": "John", "company": "Acme", "email": "john@acme.example"])
    }

    @Test("mailto: links with query and percent escapes")
    func mailto() throws {
        #expect(try BadgePayload.parse("mailto:john%40example.com?subject=Hello%20there").fields == ["email": "john@example.com"])
        #expect(try BadgePayload.parse("MAILTO:j%C3%BCrgen@example.de,second@example.org").fields
            == ["email": "jürgen@example.de", "x_email_2": "second@example.org"])
    }

    @Test("Plain email addresses, with or without a display name")
    func plainEmail() throws {
        #expect(try BadgePayload.parse("  john@example.com\n").fields == ["email": "john@example.com"])
        #expect(try BadgePayload.parse("\"Anna Schmidt\" <anna@example.de>").fields
            == ["email": "anna@example.de", "first_name": "Anna", "last_name": "Schmidt"])
    }

    @Test("Unrecognised or empty payloads give clear errors")
    func errors() {
        #expect(throws: ExchangeError.badgeUnrecognized(excerpt: "https://tickets.example/123")) {
            try BadgePayload.parse("https://tickets.example/123")
        }
        #expect(throws: ExchangeError.badgeEmpty) { try BadgePayload.parse("  \n") }
        #expect(throws: ExchangeError.badgeNoContactData(format: "MECARD")) { try BadgePayload.parse("MECARD:;;") }
        #expect(throws: ExchangeError.badgeInvalidPercentEncoding(excerpt: "john%4")) { try BadgePayload.parse("mailto:john%4") }
        #expect(throws: ExchangeError.badgeMultipleCards(count: 2)) {
            try BadgePayload.parse("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD")
        }
        #expect(throws: ExchangeError.badgeUnrecognized(excerpt: "A-12345 two@@example")) {
            try BadgePayload.parse("A-12345 two@@example")
        }
        let message = ExchangeError.badgeUnrecognized(excerpt: "X").description
        #expect(message.contains("vCard, MECARD, mailto: link or email address"))
    }
}
