import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring back a deleted lead.",
        discussion: """
            Clears the lead's deleted mark, with every field as it is now (edits made while it was \
            deleted included). Restoring a lead that is not deleted changes nothing. Find deleted \
            leads with 'leadsync list --only-deleted'.

            Example:
              leadsync restore 3f2a
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The lead's id or a unique prefix of it.")
    var id: String

    func run() throws {
        let (store, _) = try home.openReplica()
        let record = try store.resolve(id)
        let op = try store.setDeleted(false, record)
        if output.json {
            try JSONOutput.print(EditJSON(id: record.rawValue, operations: op == nil ? 0 : 1))
        } else if op == nil {
            print("Lead \(record.short) is not deleted.")
        } else {
            print("Restored \(record.short)")
        }
    }
}
