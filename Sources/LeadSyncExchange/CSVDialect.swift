import Foundation

/// Which CSV flavour to write: LeadSync's own lossless format, or headers and picklist values a
/// CRM's importer recognises without manual remapping.
public enum CSVDialect: Sendable, Hashable, CaseIterable {
    /// Our field names as headers, then `tags`, `notes` and custom fields; values unchanged.
    /// Reading it back with ``CSVReader`` and ``ColumnMapping`` gives identical drafts.
    case leadsync
    /// HubSpot contact import labels ("First Name", "Company Name", "Lifecycle Stage"…) and
    /// HubSpot's internal lifecycle stage values.
    case hubspot
    /// Salesforce Data Import Wizard lead labels ("Company", "Title", "Lead Source",
    /// "Lead Status", "Description"…) and its default Lead Source and Lead Status values.
    case salesforce
}

/// One output column: its header and what fills it.
struct CSVOutputColumn: Sendable {
    enum Content: Sendable {
        case field(String)
        case tags
        case notes
    }

    var header: String
    var content: Content
}

extension CSVDialect {
    /// Columns in output order: standard fields, tags, notes, then `customFields` as given.
    func columns(customFields: [String]) -> [CSVOutputColumn] {
        var columns = LeadFields.standard.map { CSVOutputColumn(header: label(forStandard: $0), content: .field($0)) }
        columns.append(CSVOutputColumn(header: self == .leadsync ? "tags" : "Tags", content: .tags))
        columns.append(CSVOutputColumn(header: notesHeader, content: .notes))
        columns += customFields.map { CSVOutputColumn(header: label(forCustom: $0), content: .field($0)) }
        return columns
    }

    /// The value as this dialect's importer expects it (picklists translated, others unchanged).
    func exportValue(_ value: String, for field: String) -> String {
        switch (self, field) {
        case (.hubspot, "lifecycle_stage"): return CRMValueVocabulary.hubspotLifecycle[value] ?? value
        case (.salesforce, "lifecycle_stage"): return CRMValueVocabulary.salesforceLeadStatus[value] ?? value
        case (.salesforce, "source"): return CRMValueVocabulary.salesforceLeadSource[value] ?? value
        default: return value
        }
    }

    private var notesHeader: String {
        switch self {
        case .leadsync: return "notes"
        case .hubspot: return "Notes"
        case .salesforce: return "Description"
        }
    }

    private static let hubspotLabels: [String: String] = [
        "first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone Number",
        "company": "Company Name", "job_title": "Job Title", "street": "Street Address",
        "postal_code": "Postal Code", "city": "City", "region": "State/Region", "country": "Country/Region",
        "website": "Website URL", "source": "Source", "event": "Event", "owner": "Contact owner",
        "lifecycle_stage": "Lifecycle Stage", "kind": "Kind",
        "x_phone_cell": "Mobile Phone Number", "x_industry": "Industry", "x_number_of_employees": "Number of Employees",
        "x_phone_fax": "Fax Number",
    ]

    private static let salesforceLabels: [String: String] = [
        "first_name": "First Name", "last_name": "Last Name", "email": "Email", "phone": "Phone",
        "company": "Company", "job_title": "Title", "street": "Street", "postal_code": "Zip/Postal Code",
        "city": "City", "region": "State/Province", "country": "Country", "website": "Website",
        "source": "Lead Source", "event": "Event", "owner": "Lead Owner", "lifecycle_stage": "Lead Status",
        "kind": "Kind",
        "x_phone_cell": "Mobile Phone", "x_industry": "Industry", "x_number_of_employees": "No. of Employees",
        "x_email_opt_out": "Email Opt Out", "x_do_not_call": "Do Not Call", "x_rating": "Rating", "x_phone_fax": "Fax",
    ]

    private func label(forStandard field: String) -> String {
        switch self {
        case .leadsync: return field
        case .hubspot: return Self.hubspotLabels[field] ?? field
        case .salesforce: return Self.salesforceLabels[field] ?? field
        }
    }

    /// A readable label ("x_trade_fair_booth" → "Trade Fair Booth") when it maps back to the
    /// same custom field on import; otherwise the field name itself, so nothing gets remapped.
    private func label(forCustom field: String) -> String {
        switch self {
        case .leadsync: return field
        case .hubspot: if let label = Self.hubspotLabels[field] { return label }
        case .salesforce: if let label = Self.salesforceLabels[field] { return label }
        }
        guard field.hasPrefix("x_") else { return field }
        let label = field.dropFirst(2).split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
        guard ColumnAliases.entry(for: label) == nil, LeadFields.customName(for: label) == field else { return field }
        return label
    }
}
