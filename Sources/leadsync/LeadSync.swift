import ArgumentParser

/// The `leadsync` command: a thin shell over the LeadSync libraries.
@main
struct LeadSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadsync",
        abstract: "Capture trade-fair leads offline and sync them with a LeadSync hub.",
        discussion: """
            Every rep keeps a local replica (a SQLite file in --home, default $LEADSYNC_HOME or \
            ~/.leadsync). Capture and edit leads without a network; `leadsync sync` exchanges \
            changes with the hub whenever a connection appears.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, ConfigCommand.self, AddCommand.self, SetCommand.self, ShowCommand.self, ListCommand.self,
            DeleteCommand.self, RestoreCommand.self, TagCommand.self, UntagCommand.self, NoteCommand.self,
            LogCommand.self, ConsentCommand.self, DuplicatesCommand.self, MergeCommand.self, UnmergeCommand.self,
            EraseCommand.self, ConflictsCommand.self, StatusCommand.self, SyncCommand.self, HubCommand.self,
            CaptureCommand.self, ImportCommand.self, ExportCommand.self,
            ScoreCommand.self, StageCommand.self, QualifyCommand.self, AcceptCommand.self, DisqualifyCommand.self,
            ConvertCommand.self, AssignCommand.self, HistoryCommand.self, ReportCommand.self,
        ]
    )
}
