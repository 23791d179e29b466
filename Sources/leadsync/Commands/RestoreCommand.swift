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

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (store, record, _) = try leadID.openReplica()
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
