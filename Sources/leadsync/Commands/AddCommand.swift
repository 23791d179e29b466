import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncInsights
import LeadSyncStore

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Capture a new lead and print its id.",
        discussion: """
            Give at least one of --first-name, --last-name, --email, --company. Values are \
            trimmed and checked (email, phone, source, kind, owner, stage, tags); if any is \
            refused, nothing is written. Custom fields are x_name=value. Without --owner, the \
            first matching 'route' line of the hub's rules sets the owner. Works offline; \
            'leadsync sync' sends the lead to the hub later.

            Example:
              leadsync add --first-name Anna --last-name Schmidt \\
                --company "Acme GmbH" --email anna@acme.example \\
                --source badge_scan --event "EuroShop 2026" --tag hot \\
                --field x_budget=50k --note "Wants a demo in May"
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("first-name"), help: "First name.") var firstName: String?
    @Option(name: .customLong("last-name"), help: "Last name.") var lastName: String?
    @Option(help: "Email address.") var email: String?
    @Option(help: "Phone number.") var phone: String?
    @Option(help: "Company.") var company: String?
    @Option(help: "Job title (field job_title).") var title: String?
    @Option(help: "Street address.") var street: String?
    @Option(name: .customLong("postal-code"), help: "Postal code.") var postalCode: String?
    @Option(help: "City.") var city: String?
    @Option(help: "Region or state.") var region: String?
    @Option(help: "Country.") var country: String?
    @Option(help: "Website.") var website: String?
    @Option(help: ArgumentHelp("Where the lead came from: \(LeadSource.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "source"))
    var source: String?
    @Option(help: "The event (fair) where the lead was captured (default: 'leadsync config set event').") var event: String?
    @Option(help: ArgumentHelp("The rep who owns the lead: a node name or an email (default: routed by the rules).", valueName: "owner"))
    var owner: String?
    @Option(help: ArgumentHelp("What kind of contact: \(LeadKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: String?
    @Option(help: ArgumentHelp("Lifecycle stage: \(LifecycleStage.allCases.map(\.rawValue).joined(separator: ", ")) (default: lead).", valueName: "stage"))
    var stage: String?
    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag (repeatable).", valueName: "tag"))
    var tags: [String] = []
    @Option(help: ArgumentHelp("A first note on the lead's timeline.", valueName: "text"))
    var note: String?
    @Option(name: .customLong("field"), help: ArgumentHelp("A custom field, x_name=value (repeatable).", valueName: "x_name=value"))
    var customFields: [String] = []

    func run() throws {
        let standard: [(LeadField, String?)] = [
            (.firstName, firstName), (.lastName, lastName), (.email, email), (.phone, phone), (.company, company),
            (.jobTitle, title), (.street, street), (.postalCode, postalCode), (.city, city), (.region, region),
            (.country, country), (.website, website), (.source, source), (.event, event), (.owner, owner), (.kind, kind),
        ]
        var fields: [String: String] = [:]
        for case (let field, let value?) in standard { fields[field.rawValue] = value }
        for raw in customFields {
            let assignment = try InputParsing.assignment(raw)
            guard fields[assignment.field] == nil else {
                throw CLIError("field '\(assignment.field)' is given more than once")
            }
            fields[assignment.field] = assignment.value
        }
        let stage = try stage.map(InputParsing.stage) ?? .lead
        let (store, _) = try home.openReplica()
        if fields[LeadField.event.rawValue] == nil, let event = try store.setting(ReplicaSetting.event.rawValue) {
            fields[LeadField.event.rawValue] = event
        }
        let region = try InputParsing.phoneRegion(country: fields[LeadField.country.rawValue], store: store)
        for (name, value) in fields { fields[name] = try InputParsing.typed(value, field: name, region: region) }
        let known = try fields[LeadField.email.rawValue].map { try store.leads(withEmail: $0.trimmingCharacters(in: .whitespaces)) } ?? []
        let (id, _) = try LeadCapture.add(to: store, fields: fields, stage: stage, tags: tags, note: note)
        for lead in known {
            Terminal.printError(
                "warning: lead \(lead.id.short) (\(LeadText.displayName(lead))) has the same email; added anyway "
                    + "(compare with 'leadsync show \(lead.id.short)', merge with 'leadsync merge \(lead.id.short) \(id.short)')")
        }
        if output.json {
            try JSONOutput.print(AddJSON(id: id.rawValue, duplicates: known.map { .init(id: $0.id.rawValue, name: LeadText.displayName($0)) }))
        } else {
            print(id.rawValue)
        }
    }
}

/// `add --json`: the new lead's id, and the live leads that already had its email.
struct AddJSON: Encodable {
    struct Known: Encodable {
        let id: String
        let name: String
    }

    let id: String
    let duplicates: [Known]
}

