import Foundation

/// Header names LeadSync recognises, so exports from HubSpot, Salesforce, Outlook and German
/// Excel sheets import without `--map` arguments.
///
/// Keys are normalised with ``key(_:)`` (case, spaces, `_` and `-` ignored). When several columns
/// of one file land on the same field, the higher `priority` wins and the others are kept as
/// custom fields: e.g. HubSpot exports both "Lifecycle Stage" (priority 2) and "Lead Status"
/// (priority 1); Outlook exports "Title" (a salutation, priority 1) next to "Job Title" (2).
enum ColumnAliases {
    struct Entry: Sendable {
        var target: ColumnMapping.Target
        var priority: Int
    }

    /// Lowercase without spaces, `_` and `-`: "E-mail Address" and "email_address" meet.
    static func key(_ header: String) -> String {
        if header.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII fast path (runs for every stage and source cell): the same result on bytes.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(header.utf8.count)
            for byte in header.utf8 where !(0x09...0x0D).contains(byte) && byte != 0x20 && byte != 0x5F && byte != 0x2D {
                bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(header.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "_" && $0 != "-" }
            .map(Character.init))
    }

    static func entry(for header: String) -> Entry? {
        table[key(header)]
    }

    private static let table: [String: Entry] = {
        var table: [String: Entry] = [:]
        func add(_ target: ColumnMapping.Target, priority: Int = 1, _ names: [String]) {
            for name in names { table[key(name)] = Entry(target: target, priority: priority) }
        }
        for field in LeadFields.standard { add(.field(field), priority: 3, [field]) }
        add(.tags, ["tags", "Tags", "Categories", "Kategorien", "Labels"])
        add(.notes, ["notes", "Description", "Note", "Comments", "Notizen", "Bemerkungen", "Anmerkungen"])
        add(.field("first_name"), ["firstname", "First Name", "Given Name", "Vorname"])
        add(.field("last_name"), ["lastname", "Last Name", "Surname", "Family Name", "Nachname"])
        add(.field("email"), ["Email Address", "E-mail Address", "E-Mail-Adresse", "Primary Email"])
        add(.field("phone"), ["Phone Number", "Business Phone", "Work Phone", "Telephone", "Telefon"])
        add(.field("company"), ["Company Name", "Account Name", "Organization", "Organisation", "Firma", "Unternehmen"])
        add(.field("job_title"), priority: 2, ["jobtitle", "Job Title", "Position"])
        add(.field("job_title"), ["Title"])
        add(.field("website"), ["Website URL", "Web Page", "URL", "Web Site", "Webseite"])
        add(.field("street"), ["address", "Street Address", "Mailing Street", "Business Street", "Straße", "Strasse"])
        add(.field("city"), ["Mailing City", "Business City", "Ort", "Stadt"])
        add(.field("region"), [
            "state", "State/Region", "State/Province", "Mailing State", "Mailing State/Province",
            "Business State", "Bundesland",
        ])
        add(.field("postal_code"), [
            "zip", "Zip Code", "Postal Code", "Zip/Postal Code", "Mailing Zip", "Mailing Postal Code",
            "Mailing Zip/Postal Code", "Business Postal Code", "PLZ", "Postleitzahl",
        ])
        add(.field("country"), ["Country/Region", "Mailing Country", "Business Country", "Business Country/Region", "Land"])
        add(.field("source"), ["LeadSource", "Lead Source", "Quelle"])
        add(.field("event"), ["Event Name", "Messe", "Veranstaltung"])
        add(.field("owner"), [
            "Contact owner", "hubspot_owner_id", "HubSpot Owner", "OwnerId", "Owner ID", "Record Owner",
            "Lead Owner", "Owner Name",
        ])
        add(.field("lifecycle_stage"), priority: 2, ["Lifecycle Stage"])
        add(.field("lifecycle_stage"), ["hs_lead_status", "Lead Status", "Status"])
        add(.field("x_phone_cell"), ["MobilePhone", "Mobile Phone", "Mobile Phone Number", "Mobile", "Cell Phone", "Mobiltelefon", "Handy"])
        add(.field("x_phone_home"), ["Home Phone"])
        add(.field("x_phone_fax"), ["Fax", "Business Fax", "Fax Number"])
        add(.field("x_email_2"), ["E-mail 2 Address"])
        add(.field("x_email_3"), ["E-mail 3 Address"])
        add(.field("x_industry"), ["Industry", "Branche"])
        add(.field("x_rating"), ["Rating"])
        add(.field("x_number_of_employees"), ["NumberOfEmployees", "No. of Employees", "Number of Employees", "Employees"])
        add(.field("x_email_opt_out"), ["Email Opt Out", "HasOptedOutOfEmail"])
        add(.field("x_do_not_call"), ["DoNotCall", "Do Not Call"])
        add(.field("x_department"), ["Department", "Abteilung"])
        return table
    }()
}
