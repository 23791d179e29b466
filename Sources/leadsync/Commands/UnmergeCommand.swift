import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct UnmergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmerge",
        abstract: "Undo a merge: the duplicate stands on its own again.",
        discussion: """
            For a lead merged by mistake. DUPLICATE returns to 'leadsync list' and 'leadsync \
            duplicates', with its own fields, tags and activities, and with any duplicates that \
            were merged into it. What the merge copied stays: fields and tags it gave the kept \
            lead remain there (change them with 'leadsync set' and 'leadsync untag'). The undo \
            replicates like any edit; a merge of the same lead made later wins over it.

            Example:
              leadsync list --merged
              leadsync unmerge 9e8d
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The merged duplicate (id or unique prefix).")
    var duplicate: String

    func run() throws {
        let (store, _) = try home.openReplica()
        let duplicateID = try store.resolve(duplicate)
        let formerKeep = try store.unmerge(duplicateID)
        if output.json {
            try JSONOutput.print(UnmergeJSON(id: duplicateID.rawValue, wasMergedInto: formerKeep.rawValue))
            return
        }
        print("Unmerged \(duplicateID.short): it stands on its own again (it was merged into \(formerKeep.short))")
    }
}

/// `unmerge --json`.
struct UnmergeJSON: Encodable {
    let id: String
    let wasMergedInto: String

    enum CodingKeys: String, CodingKey {
        case id
        case wasMergedInto = "was_merged_into"
    }
}
