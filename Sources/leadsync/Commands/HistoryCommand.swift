import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a lead's stage history: every stage it was set to, when and by whom.",
        discussion: """
            Oldest first, in hybrid-logical-clock order (the same on every replica); the capture is \
            the first entry. Works on a hub's home too.

            Example:
              leadsync history 3f2a
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (store, record) = try leadID.openForReading()
        guard let lead = try store.lead(record), !lead.erased else { throw StoreError.unknownLead(leadID.id) }
        let history = try store.stageHistories(for: record)[record] ?? []
        if output.json {
            try JSONOutput.print(history.map {
                StageEntryJSON(at: Formatting.iso8601($0.hlc), stage: $0.stage.rawValue, by: $0.origin.rawValue)
            })
            return
        }
        print("Stage history of \(record.short) (now \(lead.stage.rawValue)):")
        var table = TextTable()
        for change in history { table.add([Formatting.local(change.hlc), change.stage.rawValue, "by \(change.origin)"]) }
        if !history.isEmpty { print(table.render(indent: "  ")) }
    }
}

/// One entry of `history --json`.
struct StageEntryJSON: Encodable {
    let at: String
    let stage: String
    let by: String
}
