import ArgumentParser
import LeadSyncCore
import LeadSyncStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log an activity on a lead: a call, a booth visit, a demo request, …",
        usage: "leadsync log <id> --type <type> [--text <text>] [--at <time>] [--json]",
        discussion: """
            Activities are append-only: they never conflict, every replica shows them all, and \
            'leadsync show' lists them in the order they happened. Scoring rules count them.

            Types: \(ActivityType.allCases.map(\.rawValue).joined(separator: ", ")). A note needs text.

            --at says when it happened, if not now: ISO-8601 (2026-03-05T14:30:00Z, \
            2026-03-05T15:30+01:00) or 'YYYY-MM-DD HH:MM', in local time (the timezone setting, \
            else $TZ) unless an offset is given.

            Example:
              leadsync log 3f2a --type call --text "Asked for pricing" --at "2026-03-05 14:30"
              leadsync log 3f2a --type demo_request
            """)

    @OptionGroup var leadID: LeadArgument
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("What happened (required): one of the types above.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("What was said or done, or '-' for standard input.", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("When it happened (default: now).", valueName: "time"))
    var at: String?

    func run() throws {
        guard let type else {
            throw CLIError("--type is required: one of \(ActivityType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let activityType = try InputParsing.activityType(type)
        let (store, record, _) = try leadID.openReplica()
        let time = try at.map(InputParsing.time)
        let entry = try LeadValidator.activity(type: activityType, text: text.map(InputParsing.textArgument) ?? "", at: time)
        try store.commit(.activity(entry), to: record)
        if output.json {
            try JSONOutput.print(EditJSON(id: record.rawValue, operations: 1))
        } else {
            print("Logged \(activityType.rawValue) on \(record.short)")
        }
    }
}
