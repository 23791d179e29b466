import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one lead: fields, timeline, stage history, consent, merges and open conflicts.",
        discussion: """
            Fields appear in a fixed order (standard fields, then custom x_ fields by name). The \
            timeline lists the lead's activities and notes in the order they happened, with those \
            of duplicates merged into it (marked with the duplicate's id). The stage history lists \
            every stage change with who made it; consent shows, per channel, the latest decision \
            and how it was given. A duplicate changed after its merge is flagged for review. Times \
            are ISO-8601 UTC. ID may be a unique prefix of the lead's id.

            Example:
              leadsync show 3f2a
              leadsync show 3f2a --json | jq .fields.email
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The lead's id or a unique prefix of it.")
    var id: String

    func run() throws {
        let store = try home.openForReading().store
        let detail = try LeadDetail.gather(try store.resolve(id), from: store)
        if output.json {
            try JSONOutput.print(LeadDetailJSON(detail: detail))
        } else {
            print(LeadText.detail(detail))
        }
    }
}
