import LeadSyncCore
import Testing

@Suite struct LeadValidatorTests {
    @Test func emailIsTrimmedAndItsDomainLowerCased() throws {
        #expect(try LeadValidator.normalize("  Anna.Muster@Example.DE ", for: .standard(.email)) == "Anna.Muster@example.de")
    }

    @Test(arguments: ["anna", "anna@", "@example.com", "anna@example", "an na@example.com", "anna@exa_mple.com", "a@b.c1"])
    func malformedEmailsAreRefused(_ email: String) {
        #expect(throws: LeadError.invalidEmail(email)) { try LeadValidator.normalize(email, for: .standard(.email)) }
    }

    @Test func whitespaceIsCollapsed() throws {
        #expect(try LeadValidator.normalize(" Hans \t Peter\n", for: .standard(.firstName)) == "Hans Peter")
    }

    @Test func enumFieldsAcceptKnownValuesOnly() throws {
        #expect(try LeadValidator.normalize("Badge_Scan", for: .standard(.source)) == "badge_scan")
        #expect(throws: LeadError.self) { try LeadValidator.normalize("fax", for: .standard(.source)) }
        #expect(throws: LeadError.self) { try LeadValidator.normalize("friend", for: .standard(.kind)) }
        #expect(try LeadValidator.stage(" SQL ") == .sql)
        #expect(throws: LeadError.self) { try LeadValidator.stage("won") }
    }

    @Test func fieldNamesAreStandardOrCustom() throws {
        #expect(try FieldName(validating: "job_title") == .standard(.jobTitle))
        #expect(try FieldName(validating: "x_booth_no") == .custom("x_booth_no"))
        for bad in ["title", "x_", "X_booth", "x_booth-no", "lifecycle_stage"] {
            #expect(throws: LeadError.unknownField(bad)) { try FieldName(validating: bad) }
        }
    }

    @Test func ownerIsANodeNameOrAnEmail() throws {
        #expect(try LeadValidator.normalize("Anna", for: .standard(.owner)) == "anna")
        #expect(try LeadValidator.normalize("anna@Example.com", for: .standard(.owner)) == "anna@example.com")
        #expect(throws: LeadError.invalidOwner("Anna Muster")) { try LeadValidator.normalize("Anna Muster", for: .standard(.owner)) }
    }

    @Test func phoneNeedsDigits() throws {
        #expect(try LeadValidator.normalize("+49 (30) 123-45/6", for: .standard(.phone)) == "+49 (30) 123-45/6")
        #expect(throws: LeadError.self) { try LeadValidator.normalize("call me", for: .standard(.phone)) }
    }
}
