import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List contact fields edited concurrently on different replicas.",
        discussion: """
            When two replicas change the same field without seeing each other's edit, the later \
            one (by hybrid logical clock, then node) wins everywhere and the other value is kept \
            here, with who wrote each and when. Setting the field again resolves the conflict. \
            Give an ID (or unique prefix) to see one lead's conflicts only.

            Example:
              leadsync conflicts
              leadsync set 3f2a city=Hamburg   # keep Hamburg, resolving the conflict
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Only this lead (id or unique prefix).")
    var id: String?

    func run() throws {
        let store = try home.openForReading().store
        let record = try id.map { try store.resolve($0) }
        let conflicts = try store.conflicts(for: record)
        if output.json {
            try JSONOutput.print(conflicts.map(ConflictJSON.init))
            return
        }
        for conflict in conflicts { print(LeadText.conflictLines(conflict, showLead: true).joined(separator: "\n")) }
        print(Formatting.count(conflicts.count, "open conflict"))
    }
}
