import ArgumentParser
import LeadSyncCore
import LeadSyncRules
import LeadSyncStore

struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List pairs of leads that are probably the same person.",
        discussion: """
            Compares the live leads (not deleted, not merged): the same email (ignoring case), \
            the same phone number (+49 30 1234567 = 030 1234567), or the same first name, last \
            name and company (ignoring case, accents and legal forms such as GmbH). Typically the \
            same visitor captured by two reps at one fair. A pair is a suggestion: review it, then \
            merge with 'leadsync merge KEEP DUPLICATE'.

            Example:
              leadsync duplicates
              leadsync duplicates --json | jq '.[] | select(.reasons | index("same_email"))'
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (store, _) = try home.openReplica()
        // Only the fields the keys and the labels need: decoding whole leads was most of the time.
        let fields: [LeadField] = [.email, .phone, .firstName, .lastName, .company]
        let leads = try store.fieldValues(fields)
        let byID = Dictionary(uniqueKeysWithValues: leads.map { ($0.id.rawValue, $0) })
        let pairs = DuplicateFinder.pairs(leads.map { lead in
            var values: [String: String] = [:]
            for (field, value) in zip(fields, lead.values) { values[field.rawValue] = value }
            return LeadFacts(id: lead.id.rawValue, fields: values)
        })
        if output.json {
            try JSONOutput.print(pairs.map(DuplicatePairJSON.init))
            return
        }
        let rows = pairs.map { pair -> [String] in
            func label(_ id: String) -> String {
                guard let lead = byID[id] else { return "" }
                func value(_ field: LeadField) -> String? { fields.firstIndex(of: field).flatMap { lead.values[$0] } }
                let name = LeadText.displayName(value)
                let company = value(.company).map { " (\($0))" } ?? ""
                return Formatting.truncate(name + company, to: 40)
            }
            return [String(pair.first.prefix(8)), label(pair.first), String(pair.second.prefix(8)), label(pair.second),
                    pair.reasons.map(\.text).joined(separator: ", ")]
        }
        if !rows.isEmpty {
            print(TextTable(header: ["FIRST", "LEAD", "SECOND", "LEAD", "WHY"], rows: rows).render(fitting: Formatting.terminalWidth()))
        }
        print(Formatting.count(pairs.count, "likely duplicate pair") + (pairs.isEmpty ? "" : "; merge with 'leadsync merge KEEP DUPLICATE'"))
    }
}

/// `duplicates --json`: one object per pair.
struct DuplicatePairJSON: Encodable {
    /// The smaller id of the two.
    let first: String
    let second: String
    /// `same_email`, `same_phone`, `same_name_and_company`; sorted, never empty.
    let reasons: [String]

    init(_ pair: DuplicatePair) {
        first = pair.first
        second = pair.second
        reasons = pair.reasons.map(\.jsonName)
    }
}
