import Foundation

/// Translates picklist values between CRM vocabularies and LeadSync's.
///
/// Import maps are keyed like headers (case, spaces, `_`, `-` ignored). A value that is not in
/// a map is passed through unchanged, so the store rejects it with its own message instead of
/// this library silently changing data.
///
/// Salesforce and HubSpot lead statuses describe sales progress, which LeadSync keeps in
/// `lifecycle_stage`: not contacted yet → lead; being nurtured by marketing → mql; a rep is
/// working it (Salesforce "Working - Contacted", HubSpot IN_PROGRESS/CONNECTED) → sal;
/// qualified → sql; open deal → opportunity; "Closed - Converted" → customer; "Closed - Not
/// Converted" or unqualified → disqualified. HubSpot's BAD_TIMING has no equivalent and passes through.
enum CRMValueVocabulary {
    static func key(_ value: String) -> String { ColumnAliases.key(value) }

    /// The LeadSync value for an imported `field` value (only `source`, `lifecycle_stage` and
    /// `kind` have vocabularies).
    static func importValue(_ value: String, for field: String) -> String {
        let map: [String: String]
        switch field {
        case "lifecycle_stage": map = lifecycleImport
        case "source": map = sourceImport
        case "kind": map = kindImport
        default: return value
        }
        return map[key(value)] ?? value
    }

    private static func keyed(_ pairs: [(String, String)], plus own: [String]) -> [String: String] {
        var map: [String: String] = [:]
        for value in own { map[key(value)] = value }
        for (foreign, ours) in pairs { map[key(foreign)] = ours }
        return map
    }

    static let lifecycleImport = keyed([
        // HubSpot lifecycle stages (internal values and labels normalise to the same keys).
        ("subscriber", "lead"), ("marketingqualifiedlead", "mql"), ("salesqualifiedlead", "sql"),
        ("evangelist", "customer"), ("other", "lead"),
        // Salesforce Lead Status, classic and current default picklists.
        ("Open - Not Contacted", "lead"), ("Working - Contacted", "sal"),
        ("Closed - Converted", "customer"), ("Closed - Not Converted", "disqualified"),
        ("New", "lead"), ("Working", "sal"), ("Nurturing", "mql"), ("Qualified", "sql"), ("Unqualified", "disqualified"),
        // HubSpot hs_lead_status.
        ("OPEN", "lead"), ("ATTEMPTED_TO_CONTACT", "lead"), ("IN_PROGRESS", "sal"), ("CONNECTED", "sal"),
        ("OPEN_DEAL", "opportunity"),
    ], plus: LeadFields.lifecycleStages)

    static let sourceImport = keyed([
        ("Web", "form"), ("Web Form", "form"), ("Website", "form"), ("Contact Form", "form"),
        ("Trade Show", "booth_conversation"), ("Tradeshow", "booth_conversation"), ("Trade Fair", "booth_conversation"),
        ("Messe", "booth_conversation"), ("Booth", "booth_conversation"),
        ("Phone Inquiry", "phone"), ("Phone Call", "phone"),
        ("Business Card", "business_card"), ("Visitenkarte", "business_card"),
        ("Badge Scan", "badge_scan"), ("Badge", "badge_scan"),
        ("White Paper", "whitepaper"), ("Imported", "import"), ("Purchased List", "other"),
        ("Partner Referral", "other"), ("Partner", "other"), ("Employee Referral", "other"),
        ("External Referral", "other"), ("Advertisement", "other"), ("Public Relations", "other"),
        ("Word of mouth", "other"), ("Seminar - Internal", "other"), ("Seminar - Partner", "other"),
    ], plus: LeadFields.sources)

    static let kindImport = keyed([], plus: LeadFields.kinds)

    // MARK: Export

    /// HubSpot internal lifecycle values (its importer accepts them without remapping).
    /// HubSpot has no SAL stage; its "Sales Qualified Lead" is defined as accepted by sales, so
    /// sal goes there; disqualified goes to "other".
    static let hubspotLifecycle: [String: String] = [
        "lead": "lead", "mql": "marketingqualifiedlead", "sal": "salesqualifiedlead",
        "sql": "salesqualifiedlead", "opportunity": "opportunity", "customer": "customer",
        "disqualified": "other",
    ]

    /// Salesforce default Lead Status picklist values.
    static let salesforceLeadStatus: [String: String] = [
        "lead": "Open - Not Contacted", "mql": "Open - Not Contacted", "sal": "Working - Contacted",
        "sql": "Working - Contacted", "opportunity": "Working - Contacted",
        "customer": "Closed - Converted", "disqualified": "Closed - Not Converted",
    ]

    /// Salesforce Lead Source values; the standard ones where they exist, else readable labels
    /// that map back to the same LeadSync value on import.
    static let salesforceLeadSource: [String: String] = [
        "form": "Web", "business_card": "Business Card", "badge_scan": "Badge Scan",
        "booth_conversation": "Trade Show", "webinar": "Webinar", "whitepaper": "Whitepaper",
        "phone": "Phone Inquiry", "import": "Import", "other": "Other",
    ]
}
