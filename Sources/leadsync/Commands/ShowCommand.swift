import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one lead: fields, stage, tags, notes and open conflicts.",
        discussion: """
            Fields appear in a fixed order (standard fields, then custom x_ fields by name). \
            Notes are listed oldest first by their hybrid logical clock; times are ISO-8601 UTC. \
            ID may be a unique prefix of the lead's id.

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
        let record = try store.resolve(id)
        guard let lead = try store.lead(record) else { throw StoreError.unknownLead(id) }
        let notes = try store.activities(for: record)
        let conflicts = try store.conflicts(for: record)
        if output.json {
            try JSONOutput.print(LeadDetailJSON(
                lead: LeadJSON(lead), notes: notes.map(NoteJSON.init), conflicts: conflicts.map(ConflictJSON.init)))
        } else {
            print(LeadText.detail(lead, notes: notes, conflicts: conflicts))
        }
    }
}
