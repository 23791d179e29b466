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
            leads are hidden unless --deleted or --only-deleted is given. The table shows the \
            first 8 characters of each id; any unique prefix works as an id in other commands.

            Example:
              leadsync list --event "EuroShop 2026" --stage mql --sort company
              leadsync list --tag hot --sort updated --desc --limit 10 --json
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var filters: LeadFilterOptions

    func run() throws {
        let filter = try filters.makeFilter()
        let (store, _) = try home.openReplica()
        let leads = try store.leads(filter)
        if output.json {
            try JSONOutput.print(leads.map(LeadJSON.init))
            return
        }
        let showDeleted = filters.showsDeleted
        var header = ["ID", "NAME", "COMPANY", "EMAIL", "STAGE", "OWNER"]
        if showDeleted { header.append("DELETED") }
        let rows = leads.map { lead in
            var row = [lead.id.short, LeadText.displayName(lead), lead[.company] ?? "", lead[.email] ?? "",
                       lead.stage.rawValue, lead[.owner] ?? ""].map { Formatting.truncate($0, to: 32) }
            if showDeleted { row.append(lead.deleted ? "yes" : "") }
            return row
        }
        if !rows.isEmpty { print(TextTable(header: header, rows: rows).render()) }
        print(Formatting.count(leads.count, "lead"))
    }
}
