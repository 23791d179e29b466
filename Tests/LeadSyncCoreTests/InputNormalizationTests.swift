import LeadSyncCore
import Testing

/// Input rules for people and files: e-mail addresses like email-validator, Punycode, countries.
@Suite struct InputNormalizationTests {
    @Test(arguments: [
        ("müller", "mller-kva"), ("bücher", "bcher-kva"), ("société", "socit-esab"), ("☃", "n3h"),
        ("münchen-ost", "mnchen-ost-9db"),
    ])
    func punycodeMatchesRFC3492(unicode: String, encoded: String) {
        #expect(Punycode.encode(unicode) == encoded)
        #expect(Punycode.decode(encoded) == unicode)
    }

    @Test(arguments: [
        ("john@example.com", "john@example.com"), ("John.Doe@Example.COM", "John.Doe@example.com"),
        ("j@müller.de", "j@müller.de"), ("j@xn--mller-kva.de", "j@müller.de"), ("J@MÜLLER.DE", "J@müller.de"),
        ("mailto:john@example.com", "john@example.com"), ("MAILTO: john@example.com", "john@example.com"),
        ("müller@example.com", "müller@example.com"), ("a+b@example.com", "a+b@example.com"),
        ("x@mail.co.uk", "x@mail.co.uk"), ("a@é.fr", "a@é.fr"),
    ])
    func acceptsWhatEmailValidatorAccepts(input: String, stored: String) throws {
        #expect(try LeadValidator.email(input) == stored)
    }

    @Test(arguments: [
        "john..doe@example.com", "john@-example.com", "a\u{1}b@example.com", "a\u{0}b@example.com", ".a@example.com",
        "a.@example.com", "a@b", "a@b.c1", "a@b.123", "a@localhost", "a@x.test", "a@x.local", "\"a b\"@example.com",
        "a@ex_ample.com", "a@ab--cd.com", "a@example.com.", "a@[1.2.3.4]", "a@xn--zz.com", "a@☃.net", "a@@b.de",
    ])
    func refusesWhatEmailValidatorRefuses(input: String) {
        #expect(throws: LeadError.invalidEmail(input)) { try LeadValidator.email(input) }
    }

    @Test func unicodeAndPunycodeSpellingsAreOneIdentity() {
        #expect(LeadValidator.emailIdentity("J@xn--MLLER-kva.de") == LeadValidator.emailIdentity("j@müller.de"))
    }

    @Test(arguments: [
        ("Germany", "DE"), ("Deutschland", "DE"), ("Allemagne", "DE"), ("DEU", "DE"), ("de", "DE"),
        ("Österreich", "AT"), ("Oesterreich", "AT"), ("Autriche", "AT"), ("Schweiz", "CH"), ("Suisse", "CH"),
        ("United States", "US"), ("USA", "US"), ("États-Unis", "US"), ("Vereinigtes Königreich", "GB"), ("UK", "GB"),
        ("Royaume-Uni", "GB"), ("Pologne", "PL"), ("Polen", "PL"), ("Turkey", "TR"), ("Türkei", "TR"), ("TUR", "TR"),
        ("  france ", "FR"),
    ])
    func countryNamesAndCodes(text: String, code: String) {
        #expect(LeadValidator.countryCode(text) == code)
    }

    @Test func otherCountryTextIsKept() throws {
        #expect(LeadValidator.countryCode("Atlantis") == nil)
        #expect(try LeadValidator.normalizeInput("Atlantis", for: .standard(.country), region: nil) == "Atlantis")
        #expect(try LeadValidator.normalizeInput("Deutschland", for: .standard(.country), region: nil) == "DE")
    }

    @Test func typedPhonesFallBackToTheTypedText() throws {
        #expect(try LeadValidator.normalizeTyped("030 1234567", for: .standard(.phone), region: "DE") == "+49301234567")
        #expect(try LeadValidator.normalizeTyped("030 1234567", for: .standard(.phone), region: nil) == "030 1234567")
        #expect(throws: LeadError.self) { try LeadValidator.normalizeInput("030 1234567", for: .standard(.phone), region: nil) }
        #expect(try LeadValidator.normalize("+49301234567;ext=12", for: .standard(.phone)) == "+49301234567;ext=12")
    }
}
