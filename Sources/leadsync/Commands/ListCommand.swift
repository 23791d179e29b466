import ArgumentParser
import LeadSyncCore
import LeadSyncInsights
import LeadSyncRules
import LeadSyncStore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List leads, filtered and sorted.",
        discussion: """
            Filters combine (all must match). --search looks for text in names, email, company, \
            job title, city, country, event, phone and custom fields, ignoring case. Deleted \
            leads are hidden unless --deleted or --only-deleted is given. The table shows the \
            first 8 characters of each id; any unique prefix works as an id in other commands.

            Example:
              leadsync list --event "EuroShop 2026" --stage mql --sort company
              leadsync list --tag hot --sort updated --desc --limit 10 --json
              leadsync list --temperature hot --sort score --owner me
              leadsync list --consented newsletter
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var filters: LeadFilterOptions
    @Option(help: ArgumentHelp("Only leads of this temperature: cold, warm, hot.", valueName: "temperature"))
    var temperature: String?
    @Flag(help: "Include duplicates merged into another lead.") var merged = false
    @Option(help: ArgumentHelp("Only leads whose current consent for this channel (email, phone, newsletter) is granted.", valueName: "channel"))
    var consented: String?

    func run() throws {
        var filter = try filters.makeFilter()
        let scoring = try ListScoring(sort: filters.sort, temperature: temperature)
        let readable = try home.openForReading()
        let store = readable.store
        filter.owner = try filters.owner.map { try ListScoring.owner($0, home: readable) }
        filter.includeMerged = merged
        let channel = try consented.map(InputParsing.channel)
        // Score, temperature and consent are derived in Swift, so the limit applies after them.
        if scoring.limitsAfterScoring || channel != nil { filter.limit = nil }
        var leads = try store.leads(filter)
        if let channel {
            let events = try store.consentEventsByLead()
            leads = leads.filter { CurrentConsent.isConsented(events[$0.id] ?? [], channel) }
        }
        let scores = try LeadScorer(rules: ActiveRules.load(from: store)).scores(leads, in: store)
        leads = scoring.arrange(leads, scores: scores, descending: filters.desc, limit: filters.limit)
        if let limit = filters.limit { leads = Array(leads.prefix(limit)) }
        if output.json {
            try JSONOutput.print(leads.map {
                ScoredLeadJSON(lead: LeadJSON($0), score: scores[$0.id]?.total ?? 0,
                               temperature: scores[$0.id]?.temperature.rawValue ?? Temperature.cold.rawValue)
            })
            return
        }
        let showDeleted = filters.showsDeleted
        var header = ["ID", "NAME", "COMPANY", "EMAIL", "STAGE", "OWNER", "SCORE", "TEMP"]
        if showDeleted { header.append("DELETED") }
        if merged { header.append("MERGED INTO") }
        let rows = leads.map { lead in
            var row = [lead.id.short, LeadText.displayName(lead), lead[.company] ?? "", lead[.email] ?? "",
                       lead.stage.rawValue, lead[.owner] ?? "", scores[lead.id].map { String($0.total) } ?? "",
                       scores[lead.id]?.temperature.rawValue ?? ""]
            if showDeleted { row.append(lead.deleted ? "yes" : "") }
            if merged { row.append(lead.mergedInto?.short ?? "") }
            return row
        }
        if !rows.isEmpty { print(TextTable(header: header, rows: rows).render(fitting: Formatting.terminalWidth())) }
        print(Formatting.count(leads.count, "lead"))
    }
}
