import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a note to a lead's timeline.",
        discussion: """
            Notes are append-only: they never conflict, and 'leadsync show' lists them in order. \
            Give the text as an argument, or '-' to read it from standard input.

            Example:
              leadsync note 3f2a "Asked for a quote, call back Tuesday"
              pbpaste | leadsync note 3f2a -
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note, or '-' for standard input.", valueName: "text"))
    var text: String

    func run() throws {
        let (store, record, _) = try leadID.openReplica()
        try store.addNote(InputParsing.textArgument(text), to: record)
        if output.json {
            try JSONOutput.print(EditJSON(id: record.rawValue, operations: 1))
        } else {
            print("Added a note to \(record.short)")
        }
    }
}
