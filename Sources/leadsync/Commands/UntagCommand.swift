import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct UntagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untag",
        abstract: "Remove tags from a lead.",
        discussion: """
            Removing a tag the lead does not have is harmless. If another replica adds the tag at \
            the same time, the tag stays (adding wins).

            Example:
              leadsync untag 3f2a hot
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Tags to remove.", valueName: "tag"))
    var tags: [String]

    func run() throws {
        let (store, record, _) = try leadID.openReplica()
        try store.removeTags(tags, from: record)
        if output.json {
            try JSONOutput.print(EditJSON(id: record.rawValue, operations: 1))
        } else {
            print("Untagged \(record.short): \(tags.joined(separator: ", "))")
        }
    }
}
