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
            are ISO-8601 in local time with the offset (the timezone setting, else $TZ); --json \
            gives UTC. ID may be a unique prefix of the lead's id.

            Example:
              leadsync show 3f2a
              leadsync show 3f2a --json | jq .fields.email
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (store, record) = try leadID.openForReading()
        let detail = try LeadDetail.gather(record, from: store)
        if output.json {
            try JSONOutput.print(LeadDetailJSON(detail: detail))
        } else {
            print(LeadText.detail(detail))
        }
    }
}
