import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add tags to a lead.",
        discussion: """
            A tag is 1-64 characters without spaces or commas. If another replica removes a tag \
            at the same time as this adds it, the tag stays.

            Example:
              leadsync tag 3f2a hot euroshop-2026
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Tags to add.", valueName: "tag"))
    var tags: [String]

    func run() throws {
        let (store, record, _) = try leadID.openReplica()
        try store.addTags(tags, to: record)
        if output.json {
            try JSONOutput.print(EditJSON(id: record.rawValue, operations: 1))
        } else {
            print("Tagged \(record.short): \(tags.joined(separator: ", "))")
        }
    }
}
