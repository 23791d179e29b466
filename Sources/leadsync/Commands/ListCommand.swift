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
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only this lifecycle stage.", valueName: "stage")) var stage: String?
    @Option(help: ArgumentHelp("Only this kind of contact.", valueName: "kind")) var kind: String?
    @Option(help: ArgumentHelp("Only this source.", valueName: "source")) var source: String?
    @Option(help: ArgumentHelp("Only this event (ignoring case).", valueName: "event")) var event: String?
    @Option(help: ArgumentHelp("Only leads of this owner ('me': this replica's node).", valueName: "owner")) var owner: String?
    @Option(help: ArgumentHelp("Only leads with this tag.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("Only leads containing this text.", valueName: "text")) var search: String?
    @Option(help: ArgumentHelp("Only leads of this temperature: cold, warm, hot.", valueName: "temperature"))
    var temperature: String?
    @Option(help: ArgumentHelp("Order by \(LeadFilter.Sort.allCases.map(\.rawValue).joined(separator: ", ")), score (highest first) (default: created).", valueName: "key"))
    var sort: String = LeadFilter.Sort.created.rawValue
    @Flag(help: "Reverse the order.") var desc = false
    @Option(help: ArgumentHelp("Show at most this many leads.", valueName: "n")) var limit: Int?
    @Flag(help: "Include deleted leads.") var deleted = false
    @Flag(name: .customLong("only-deleted"), help: "Show only deleted leads.") var onlyDeleted = false

    func run() throws {
        var filter = try makeFilter()
        let scoring = try ListScoring(sort: sort, temperature: temperature)
        let readable = try home.openForReading()
        let store = readable.store
        filter.owner = try owner.map { try ListScoring.owner($0, home: readable) }
        if scoring.limitsAfterScoring { filter.limit = nil }
        var leads = try store.leads(filter)
        let scores = try LeadScorer(rules: ActiveRules.load(from: store)).scores(leads, in: store)
        leads = scoring.arrange(leads, scores: scores, descending: desc, limit: limit)
        if output.json {
            try JSONOutput.print(leads.map {
                ScoredLeadJSON(lead: LeadJSON($0), score: scores[$0.id]?.total ?? 0,
                               temperature: scores[$0.id]?.temperature.rawValue ?? Temperature.cold.rawValue)
            })
            return
        }
        let showDeleted = deleted || onlyDeleted
        var header = ["ID", "NAME", "COMPANY", "EMAIL", "STAGE", "OWNER", "SCORE", "TEMP"]
        if showDeleted { header.append("DELETED") }
        let rows = leads.map { lead in
            var row = [lead.id.short, LeadText.displayName(lead), lead[.company] ?? "", lead[.email] ?? "",
                       lead.stage.rawValue, lead[.owner] ?? "", scores[lead.id].map { String($0.total) } ?? "",
                       scores[lead.id]?.temperature.rawValue ?? ""].map { Formatting.truncate($0, to: 32) }
            if showDeleted { row.append(lead.deleted ? "yes" : "") }
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
        filter.tag = try tag.map { try LeadValidator.tag($0) }
        filter.text = search
        filter.sort = try ListScoring.storeSort(sort)
        filter.descending = desc
        filter.limit = limit
        filter.includeDeleted = deleted
        filter.onlyDeleted = onlyDeleted
        return filter
    }
}
