import Foundation

/// Collects the properties of one card and turns them into a ``LeadDraft``.
///
/// Properties are gathered first and mapped at the end because the mapping depends on the
/// whole card: FN only fills names when N is missing, and which EMAIL becomes `email` depends
/// on all EMAIL properties.
struct VCardCardBuilder {
    private var nameComponents: [String]?
    private var formattedName: String?
    private var organizations: [[String]] = []
    private var title: String?
    private var role: String?
    private var emails: [VCardTypedValue] = []
    private var phones: [VCardTypedValue] = []
    private var websites: [VCardTypedValue] = []
    private var addresses: [VCardTypedValue] = []
    private var notes: [String] = []
    private var tags: [String] = []
    private var leadSyncFields: [(name: String, value: String)] = []

    static let leadSyncPrefix = "X-LEADSYNC-"
    static let emailIgnoredTypes: Set<String> = ["internet", "pref", "x400"]
    static let phoneIgnoredTypes: Set<String> = ["pref", "voice", "msg"]
    static let phoneTypeRank = ["cell", "fax", "pager", "home", "work"]
    static let urlIgnoredTypes: Set<String> = ["pref"]
    private static let handled: Set<String> = [
        "N", "FN", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "URL", "ADR", "NOTE", "CATEGORIES",
    ]

    /// Records one property; unknown properties are ignored so that photos, keys and vendor
    /// extensions never stop an import.
    mutating func add(_ property: VCardProperty) throws(ExchangeError) {
        let isLeadSync = property.name.hasPrefix(Self.leadSyncPrefix)
        guard Self.handled.contains(property.name) || isLeadSync else { return }
        guard let text = try property.text() else { return }
        switch property.name {
        case "N": if nameComponents == nil { nameComponents = VCardText.components(text) }
        case "FN": if formattedName == nil { formattedName = VCardText.unescape(text) }
        case "ORG": organizations.append(VCardText.components(text))
        case "TITLE": if title == nil { title = VCardText.unescape(text) }
        case "ROLE": if role == nil { role = VCardText.unescape(text) }
        case "EMAIL": Self.append(VCardText.unescape(text), property, to: &emails)
        case "TEL": Self.append(Self.withoutTelScheme(VCardText.unescape(text)), property, to: &phones)
        case "URL": Self.append(VCardText.unescape(text), property, to: &websites)
        case "ADR":
            let components = VCardText.components(text).map(\.trimmed)
            guard components.contains(where: { !$0.isEmpty }) else { return }
            addresses.append(Self.typed("", property, components: components))
        case "NOTE": notes.append(VCardText.unescape(text))
        case "CATEGORIES": tags.append(contentsOf: VCardText.categories(text))
        default:
            let suffix = property.name.dropFirst(Self.leadSyncPrefix.count)
            let field = suffix.lowercased().replacingOccurrences(of: "-", with: "_")
            if LeadFields.isStandard(field) || LeadFields.isValidCustomName(field) {
                leadSyncFields.append((field, VCardText.unescape(text)))
            }
        }
    }

    /// The draft for the card, applying the selection and naming rules.
    func build() -> LeadDraft {
        var draft = LeadDraft()
        if let parts = nameComponents {
            let part = { (index: Int) in index < parts.count ? parts[index] : "" }
            draft.set("last_name", part(0))
            draft.set("first_name", part(1))
            draft.set("x_middle_name", part(2))
            draft.set("x_name_prefix", part(3))
            draft.set("x_name_suffix", part(4))
        } else if let formattedName {
            let (first, last) = VCardText.splitFullName(formattedName)
            draft.set("first_name", first)
            draft.set("last_name", last)
        }
        // The first ORG is the company; further ones (a second employer, a club) are kept as
        // x_company_2, x_company_3, … with their units.
        for (index, organization) in organizations.enumerated() {
            let units = organization.dropFirst().map(\.trimmed).filter { !$0.isEmpty }
            if index == 0 {
                draft.set("company", organization.first)
                draft.set("x_department", units.joined(separator: ", "))
            } else {
                let parts = ([organization.first?.trimmed ?? ""] + units).filter { !$0.isEmpty }
                draft.set("x_company_\(index + 1)", parts.joined(separator: ", "))
            }
        }
        draft.set("job_title", title)
        draft.set("x_role", role)

        for value in emails + phones + websites {
            if let field = value.explicitField { draft.setIfAbsent(field, value.value) }
        }
        var used = Set(draft.fields.keys).union(leadSyncFields.map(\.name))
        Self.assign(emails, field: "email", ignoredTypes: Self.emailIgnoredTypes, to: &draft, used: &used)
        Self.assign(
            phones, field: "phone", ignoredTypes: Self.phoneIgnoredTypes, typeRank: Self.phoneTypeRank,
            secondaryTypes: ["fax", "pager"], to: &draft, used: &used
        )
        Self.assign(websites, field: "website", ignoredTypes: Self.urlIgnoredTypes, to: &draft, used: &used)
        if let index = VCardValueSelection.primaryIndex(of: addresses) {
            Self.setAddress(addresses[index].components, on: &draft)
        }
        for (name, value) in leadSyncFields { draft.setIfAbsent(name, value) }
        notes.forEach { draft.addNote($0) }
        tags.forEach { draft.addTag($0) }
        return draft
    }

    /// ADR is pobox;extended;street;locality;region;code;country. The extended part (suite,
    /// floor) is appended to the street; a PO box is used only when there is no street.
    private static func setAddress(_ parts: [String], on draft: inout LeadDraft) {
        let part = { (index: Int) in index < parts.count ? parts[index] : "" }
        let street = [part(2), part(1)].filter { !$0.isEmpty }.joined(separator: ", ")
        draft.set("street", street.isEmpty ? part(0) : street)
        draft.set("city", part(3))
        draft.set("region", part(4))
        draft.set("postal_code", part(5))
        draft.set("country", part(6))
    }

    private static func assign(
        _ values: [VCardTypedValue],
        field: String,
        ignoredTypes: Set<String>,
        typeRank: [String] = [],
        secondaryTypes: Set<String> = [],
        to draft: inout LeadDraft,
        used: inout Set<String>
    ) {
        let primary = draft.fields[field] == nil
            ? VCardValueSelection.primaryIndex(of: values, secondaryTypes: secondaryTypes) : nil
        if let primary {
            draft.set(field, values[primary].value)
            used.insert(field)
        }
        for (index, value) in values.enumerated() where value.explicitField == nil && index != primary {
            let name = VCardValueSelection.customName(
                base: field, types: value.types, ignoredTypes: ignoredTypes, typeRank: typeRank, used: used
            )
            used.insert(name)
            draft.set(name, value.value)
        }
    }

    private static func append(_ value: String, _ property: VCardProperty, to list: inout [VCardTypedValue]) {
        let clean = value.trimmed
        guard !clean.isEmpty else { return }
        list.append(typed(clean, property))
    }

    private static func typed(_ value: String, _ property: VCardProperty, components: [String] = []) -> VCardTypedValue {
        var explicit = property.parameters.leadSyncField
        if let name = explicit, !(LeadFields.isStandard(name) || LeadFields.isValidCustomName(name)) {
            explicit = nil
        }
        return VCardTypedValue(
            value: value, components: components, types: property.parameters.types,
            pref: property.parameters.pref, explicitField: explicit
        )
    }

    /// vCard 4.0 writes phone numbers as `tel:` URIs (`tel:+1-418-656-9254;ext=102`); the number
    /// and its extension are what a CRM wants, other URI parameters are dropped.
    private static func withoutTelScheme(_ value: String) -> String {
        let clean = value.trimmed
        guard clean.lowercased().hasPrefix("tel:") else { return clean }
        let parts = clean.dropFirst(4).split(separator: ";", omittingEmptySubsequences: false)
        let ext = parts.dropFirst().first { $0.lowercased().hasPrefix("ext=") }
        return String(parts.first ?? "") + (ext.map { ";ext=" + $0.dropFirst(4) } ?? "")
    }
}
