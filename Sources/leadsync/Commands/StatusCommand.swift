import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this replica's node, clock, counts and sync state.",
        discussion: """
            Shows the node and actor this replica writes as, its vector clock (the highest \
            operation applied from every actor), how many leads, operations and open conflicts \
            it holds, the configured hub, how many operations the hub has not acknowledged yet, \
            and when the last sync succeeded. Works offline: the sync state is what the last \
            'leadsync sync' recorded.

            Example:
              leadsync status
              leadsync status --json | jq .unacknowledged_operations
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (store, identity) = try home.openReplica()
        let report = try StatusReport.gather(home: home.directory.path, store: store, identity: identity)
        if output.json {
            try JSONOutput.print(report)
        } else {
            print(TextTable(rows: report.lines.map { [$0.label, $0.value] }).render())
        }
    }
}
