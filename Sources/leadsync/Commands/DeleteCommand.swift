import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a lead (it can be restored).",
        discussion: """
            Marks the lead deleted: it leaves 'leadsync list' (see --deleted) but keeps its data \
            and history, and 'leadsync restore' brings it back. Deleting a deleted lead changes \
            nothing. ID may be a unique prefix of the lead's id.

            Example:
              leadsync delete 3f2a
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (store, record, _) = try leadID.openReplica()
        let op = try store.setDeleted(true, record)
        if output.json {
            try JSONOutput.print(EditJSON(id: record.rawValue, operations: op == nil ? 0 : 1))
        } else if op == nil {
            print("Lead \(record.short) is already deleted.")
        } else {
            print("Deleted \(record.short) (undo with 'leadsync restore \(record.short)')")
        }
    }
}
