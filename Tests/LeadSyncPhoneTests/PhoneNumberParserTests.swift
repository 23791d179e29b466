import LeadSyncPhone
import Testing

/// Expected values are what libphonenumber (Python `phonenumbers` 9.0) gives for the same input.
@Suite struct PhoneNumberParserTests {
    @Test(arguments: [
        ("030/1234567", "DE", "+49301234567"),
        ("(030) 1234567", "DE", "+49301234567"),
        ("+49 (0)30 1234567", "US", "+49301234567"),
        ("49 30 1234567", "DE", "+49301234567"),
        ("0049 30 1234567", "DE", "+49301234567"),
        ("001-577-688-7039x908", "DE", "+15776887039;ext=908"),
        ("+90 212 343 01 42 ext. 12", "DE", "+902123430142;ext=12"),
        ("tel:+1-418-656-9254;ext=102", "DE", "+14186569254;ext=102"),
        ("0 800 123 4567", "DE", "+498001234567"),
        ("+33 1 23 45 67 89", "DE", "+33123456789"),
        ("Phone: 030 1234567", "DE", "+49301234567"),
        ("030 1234567 #12", "DE", "+49301234567;ext=12"),
        ("+44 (0)20 7183 8750", "GB", "+442071838750"),
        ("(0161) 4960066", "GB", "+441614960066"),
        ("+48 736 317 066", "PL", "+48736317066"),
        ("04 15 39 15 00", "FR", "+33415391500"),
        ("+41 81 141 77 76", "CH", "+41811417776"),
    ])
    func parsesLikeLibphonenumber(input: String, region: String, stored: String) throws {
        #expect(try PhoneNumberParser.parse(input, region: region).stored == stored)
    }

    @Test(arguments: [
        ("001-577-688-7039x908", "US", PhoneParseError.invalid),
        ("+1 (555) 123-4567", "DE", .invalid),
        ("n/a", "DE", .notANumber),
        ("call me", "DE", .notANumber),
        ("030 1234567", nil, .needsRegion),
        ("+99 123 4567", "DE", .invalidCountryCode),
    ] as [(String, String?, PhoneParseError)])
    func refusesWhatLibphonenumberRefuses(input: String, region: String?, error: PhoneParseError) {
        #expect(throws: error) { try PhoneNumberParser.parse(input, region: region) }
    }

    @Test func showsInternationalFormat() throws {
        #expect(try PhoneNumberParser.parse("030 1234567", region: "DE").international == "+49 30 1234567")
        #expect(try PhoneNumberParser.parse("+1-418-656-9254;ext=102", region: nil).international == "+1 418-656-9254 ext. 102")
        #expect(try PhoneNumberParser.parse("+33 1 23 45 67 89", region: nil).international == "+33 1 23 45 67 89")
    }

    @Test func storedFormParsesToItself() throws {
        for input in ["+49301234567", "+15776887039;ext=908", "+902123430142;ext=12"] {
            #expect(try PhoneNumberParser.parse(input, region: nil).stored == input)
        }
    }
}
