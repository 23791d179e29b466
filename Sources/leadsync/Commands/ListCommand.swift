import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List leads, filtered and sorted.",
        discussion: """
            Filters combine (all must match). --search looks for text in names, email, company, \
            job title, city, country, event, phone and custom fields, ignoring case. Deleted \
            leads are hidden unless --deleted or --only-deleted is given; duplicates merged into \
            another lead unless --merged is given; erased leads always. --consented CHANNEL keeps \
            the leads whose current consent for the channel (email, phone, newsletter) is \
            granted, by the same rule as 'leadsync show'. The table shows the first 8 characters \
            of each id; any unique prefix works as an id in other commands.

            Example:
              leadsync list --event "EuroShop 2026" --stage mql --sort company
              leadsync list --tag hot --sort updated --desc --limit 10 --json
              leadsync list --consented newsletter
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only this lifecycle stage.", valueName: "stage")) var stage: String?
    @Option(help: ArgumentHelp("Only this kind of contact.", valueName: "kind")) var kind: String?
    @Option(help: ArgumentHelp("Only this source.", valueName: "source")) var source: String?
    @Option(help: ArgumentHelp("Only this event (ignoring case).", valueName: "event")) var event: String?
    @Option(help: ArgumentHelp("Only leads of this owner.", valueName: "owner")) var owner: String?
    @Option(help: ArgumentHelp("Only leads with this tag.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("Only leads containing this text.", valueName: "text")) var search: String?
    @Option(help: ArgumentHelp("Order by \(LeadFilter.Sort.allCases.map(\.rawValue).joined(separator: ", ")) (default: created).", valueName: "key"))
    var sort: String = LeadFilter.Sort.created.rawValue
    @Flag(help: "Reverse the order.") var desc = false
    @Option(help: ArgumentHelp("Show at most this many leads.", valueName: "n")) var limit: Int?
    @Flag(help: "Include deleted leads.") var deleted = false
    @Flag(name: .customLong("only-deleted"), help: "Show only deleted leads.") var onlyDeleted = false
    @Flag(help: "Include duplicates merged into another lead.") var merged = false
    @Option(help: ArgumentHelp("Only leads whose current consent for this channel (email, phone, newsletter) is granted.", valueName: "channel"))
    var consented: String?

    func run() throws {
        var filter = try makeFilter()
        let channel = try consented.map(InputParsing.channel)
        let (store, _) = try home.openReplica()
        var leads: [Lead]
        if let channel {
            // Consent is derived in Swift by the one definition `show` uses; the limit applies after it.
            filter.limit = nil
            let events = try store.consentEventsByLead()
            leads = try store.leads(filter).filter { CurrentConsent.isConsented(events[$0.id] ?? [], channel) }
            if let limit { leads = Array(leads.prefix(limit)) }
        } else {
            leads = try store.leads(filter)
        }
        if output.json {
            try JSONOutput.print(leads.map(LeadJSON.init))
            return
        }
        let showDeleted = deleted || onlyDeleted
        var header = ["ID", "NAME", "COMPANY", "EMAIL", "STAGE", "OWNER"]
        if showDeleted { header.append("DELETED") }
        if merged { header.append("MERGED INTO") }
        let rows = leads.map { lead in
            var row = [lead.id.short, LeadText.displayName(lead), lead[.company] ?? "", lead[.email] ?? "",
                       lead.stage.rawValue, lead[.owner] ?? ""].map { Formatting.truncate($0, to: 32) }
            if showDeleted { row.append(lead.deleted ? "yes" : "") }
            if merged { row.append(lead.mergedInto?.short ?? "") }
            return row
        }
        if !rows.isEmpty { print(TextTable(header: header, rows: rows).render()) }
        print(Formatting.count(leads.count, "lead"))
    }

    func makeFilter() throws -> LeadFilter {
        guard limit.map({ $0 >= 0 }) ?? true else { throw CLIError("invalid limit '\(limit ?? 0)': use 0 or more") }
        var filter = LeadFilter()
        filter.stage = try stage.map(InputParsing.stage)
        filter.kind = try kind.map(InputParsing.kind)
        filter.source = try source.map(InputParsing.source)
        filter.event = try event.map { try InputParsing.value($0, for: .event) }
        filter.owner = try owner.map { try InputParsing.value($0, for: .owner) }
        filter.tag = try tag.map { try LeadValidator.tag($0) }
        filter.text = search
        filter.sort = try InputParsing.sort(sort)
        filter.descending = desc
        filter.limit = limit
        filter.includeDeleted = deleted
        filter.onlyDeleted = onlyDeleted
        filter.includeMerged = merged
        return filter
    }
}
