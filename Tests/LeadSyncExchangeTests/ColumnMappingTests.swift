import Foundation
import LeadSyncExchange
import Testing

/// Maps one header plus one row and returns the draft.
func mapRow(_ header: [String], _ row: [String], overrides: [String] = []) throws -> LeadDraft {
    let mapping = try ColumnMapping(header: header, overrideArguments: overrides)
    return mapping.draft(from: CSVRecord(fields: row, line: 2))
}

@Suite("Column mapping")
struct ColumnMappingTests {
    @Test("HubSpot export labels; Lifecycle Stage beats Lead Status")
    func hubspotLabels() throws {
        let header = [
            "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title",
            "Lifecycle Stage", "Lead Status", "Contact owner", "Street Address", "City", "State/Region",
            "Postal Code", "Country/Region", "Website URL", "Mobile Phone Number",
        ]
        let row = [
            "501", "Jürgen", "Müller", "jm@example.de", "+49 30 1", "Acme GmbH", "CTO",
            "Marketing Qualified Lead", "IN_PROGRESS", "rep@example.com", "Hauptstr. 1", "Berlin", "Berlin",
            "10115", "Germany", "https://acme.example", "+49 170 1",
        ]
        let draft = try mapRow(header, row)
        #expect(draft.fields == [
            "x_record_id": "501", "first_name": "Jürgen", "last_name": "Müller", "email": "jm@example.de",
            "phone": "+49 30 1", "company": "Acme GmbH", "job_title": "CTO", "lifecycle_stage": "mql",
            "x_lead_status": "IN_PROGRESS", "owner": "rep@example.com", "street": "Hauptstr. 1", "city": "Berlin",
            "region": "Berlin", "postal_code": "10115", "country": "Germany", "website": "https://acme.example",
            "x_phone_cell": "+49 170 1",
        ])
    }

    @Test("HubSpot internal property names and values")
    func hubspotProperties() throws {
        let header = ["firstname", "lastname", "email", "company", "jobtitle", "lifecyclestage", "address", "zip", "state", "country"]
        let row = ["Ann", "Lee", "ann@example.com", "Lee Ltd", "CEO", "salesqualifiedlead", "1 Main St", "12345", "CA", "US"]
        let draft = try mapRow(header, row)
        #expect(draft.fields["lifecycle_stage"] == "sql")
        #expect(draft.fields["job_title"] == "CEO")
        #expect(draft.fields["street"] == "1 Main St")
        #expect(draft.fields["postal_code"] == "12345")
        #expect(draft.fields["region"] == "CA")
        #expect(draft.fields.count == 10)
        #expect(try mapRow(["lifecyclestage"], ["evangelist"]).fields["lifecycle_stage"] == "customer")
        #expect(try mapRow(["Lead Status"], ["UNQUALIFIED"]).fields["lifecycle_stage"] == "disqualified")
    }

    @Test("Salesforce API names, values and custom fields")
    func salesforceAPI() throws {
        let header = [
            "FirstName", "LastName", "Company", "Title", "Email", "Phone", "MobilePhone", "Website", "Street",
            "City", "State", "PostalCode", "Country", "LeadSource", "Status", "Rating", "Description", "Industry",
            "NumberOfEmployees", "HasOptedOutOfEmail", "DoNotCall", "OwnerId",
        ]
        let row = [
            "Ada", "Lovelace", "Engines Ltd", "Analyst", "ada@example.org", "+44 20 1", "+44 7700 1", "https://e.example",
            "1 Loop", "London", "LDN", "N1", "UK", "Trade Show", "Working - Contacted", "Hot", "Met at booth\n\nSecond note",
            "Computing", "42", "false", "true", "005xx000001",
        ]
        let draft = try mapRow(header, row)
        #expect(draft.fields == [
            "first_name": "Ada", "last_name": "Lovelace", "company": "Engines Ltd", "job_title": "Analyst",
            "email": "ada@example.org", "phone": "+44 20 1", "x_phone_cell": "+44 7700 1", "website": "https://e.example",
            "street": "1 Loop", "city": "London", "region": "LDN", "postal_code": "N1", "country": "UK",
            "source": "booth_conversation", "lifecycle_stage": "sal", "x_rating": "Hot", "x_industry": "Computing",
            "x_number_of_employees": "42", "x_email_opt_out": "false", "x_do_not_call": "true", "owner": "005xx000001",
        ])
        // A CRM's description cell is one note, its blank line included (only LeadSync's own
        // CSV separates several notes with blank lines).
        #expect(draft.notes == ["Met at booth\n\nSecond note"])
    }

    @Test("Salesforce labels and their picklist values", arguments: [
        ("Open - Not Contacted", "lead"), ("Working - Contacted", "sal"), ("Closed - Converted", "customer"),
        ("Closed - Not Converted", "disqualified"), ("Nurturing", "mql"), ("Qualified", "sql"),
    ])
    func salesforceStatus(status: String, stage: String) throws {
        let header = [
            "First Name", "Last Name", "Account Name", "Mailing Street", "Mailing City", "Mailing State/Province",
            "Mailing Zip/Postal Code", "Mailing Country", "Lead Source", "Lead Status", "Email Opt Out",
            "Do Not Call", "Record Owner", "Mobile Phone",
        ]
        let row = ["Bo", "Ek", "Ek AB", "Gatan 1", "Malmö", "Skåne", "211 20", "SE", "Web", status, "1", "0", "Kim", "+46 70"]
        let draft = try mapRow(header, row)
        #expect(draft.fields["lifecycle_stage"] == stage)
        #expect(draft.fields["source"] == "form")
        #expect(draft.fields["company"] == "Ek AB")
        #expect(draft.fields["street"] == "Gatan 1")
        #expect(draft.fields["region"] == "Skåne")
        #expect(draft.fields["postal_code"] == "211 20")
        #expect(draft.fields["owner"] == "Kim")
        #expect(draft.fields["x_email_opt_out"] == "1")
        #expect(draft.fields["x_do_not_call"] == "0")
        #expect(draft.fields["x_phone_cell"] == "+46 70")
    }

    @Test("Lead Source values", arguments: [
        ("Trade Show", "booth_conversation"), ("Web", "form"), ("Phone Inquiry", "phone"), ("Partner Referral", "other"),
        ("Purchased List", "other"), ("Other", "other"), ("Webinar", "webinar"), ("Business Card", "business_card"),
        ("badge_scan", "badge_scan"), ("Carrier Pigeon", "Carrier Pigeon"),
    ])
    func leadSources(value: String, expected: String) throws {
        #expect(try mapRow(["Lead Source"], [value]).fields["source"] == expected)
    }

    @Test("Outlook headers; its salutation Title does not steal job_title")
    func outlook() throws {
        let header = ["Title", "First Name", "Last Name", "Job Title", "E-mail Address", "Business Phone", "Business Street", "Categories", "Notes"]
        let row = ["Dr.", "Eva", "Ost", "Buyer", "eva@example.at", "+43 1", "Ring 1", "Fair;Vienna", "Call back"]
        let draft = try mapRow(header, row)
        #expect(draft.fields == [
            "x_title": "Dr.", "first_name": "Eva", "last_name": "Ost", "job_title": "Buyer", "email": "eva@example.at",
            "phone": "+43 1", "street": "Ring 1",
        ])
        #expect(draft.tags == ["Fair", "Vienna"])
        #expect(draft.notes == ["Call back"])
    }

    @Test("Matching ignores case, spaces, underscores and dashes; unknown columns become custom fields")
    func normalisation() throws {
        let header = ["FIRST-NAME", " last name ", "E_MAIL", "Booth #", "Größe", "NumberOfVisits", "", "booth"]
        let draft = try mapRow(header, ["A", "B", "c@example.com", "4B", "XL", "3", "blank header", "again"])
        #expect(draft.fields == [
            "first_name": "A", "last_name": "B", "email": "c@example.com", "x_booth": "4B", "x_grosse": "XL",
            "x_number_of_visits": "3", "x_column_7": "blank header", "x_booth_2": "again",
        ])
    }

    @Test("Values that do not map pass through unchanged; blanks are dropped")
    func passThrough() throws {
        let draft = try mapRow(["lifecycle_stage", "kind", "source", "city"], ["Champion", "Customer", "  ", " Köln "])
        #expect(draft.fields == ["lifecycle_stage": "Champion", "kind": "customer", "city": "Köln"])
    }

    @Test("--map overrides take precedence, ignore drops a column")
    func overrides() throws {
        let header = ["Email", "Work Mail", "Internal ID", "Given", "Remarks", "Labels"]
        let draft = try mapRow(header, ["p@home.example", "w@corp.example", "77", "Kai", "note one", "a, b;c"], overrides: [
            "Work Mail=email", "email=x_email_private", "internal id=ignore", "Given=first_name", "Remarks=notes",
        ])
        #expect(draft.fields == ["email": "w@corp.example", "x_email_private": "p@home.example", "first_name": "Kai"])
        #expect(draft.notes == ["note one"])
        #expect(draft.tags == ["a", "b", "c"])
        let mapping = try ColumnMapping(header: header, overrideArguments: ["Internal ID=ignore"])
        #expect(mapping.columns[2].header == "Internal ID")
        #expect(mapping.columns[2].target == .ignore)
        #expect(mapping.columns[0].target == .field("email"))
    }

    @Test("Bad overrides are errors")
    func badOverrides() {
        #expect(throws: ExchangeError.mappingUnknownTargetField(column: "Vorname", field: "fist_name")) {
            try ColumnMapping(header: ["Vorname"], overrideArguments: ["Vorname=fist_name"])
        }
        #expect(throws: ExchangeError.mappingMalformedOverride("Vorname")) {
            try ColumnMapping(header: ["Vorname"], overrideArguments: ["Vorname"])
        }
        #expect(throws: ExchangeError.mappingUnknownColumn(column: "Nope", available: ["Vorname"])) {
            try ColumnMapping(header: ["Vorname"], overrideArguments: ["Nope=first_name"])
        }
        #expect(throws: ExchangeError.mappingDuplicateTarget(field: "email", columns: ["A", "B"])) {
            try ColumnMapping(header: ["A", "B"], overrideArguments: ["A=email", "B=email"])
        }
        #expect(throws: ExchangeError.mappingUnknownTargetField(column: "A", field: "x_Bad Name")) {
            try ColumnMapping(header: ["A"], overrideArguments: ["A=x_Bad Name"])
        }
        let message = ExchangeError.mappingUnknownTargetField(column: "Vorname", field: "fist_name").description
        #expect(message.contains("\"fist_name\" is not a LeadSync field"))
    }
}
