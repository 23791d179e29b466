import ArgumentParser
import Foundation
import LeadSyncHub

struct HubStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per node: last sync, address, operations received, lag, conflicts, connection, clock skew.",
        discussion: """
            Lag is the number of operations the hub holds that the node has not acknowledged. Conflicts \
            counts open conflicts in which one of the node's writes takes part. Works whether or not \
            the hub is serving.
            """)

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let status = try await withHub(try home.location) { try await $0.status() }
        if output.json {
            try JSONOutput.print(status)
            return
        }
        print("""
            hub \(status.hub): \(Formatting.count(status.operations, "operation")), \(Formatting.count(status.leads, "lead")), \
            \(Formatting.count(status.conflicts, "open conflict"))
            """)
        guard !status.nodes.isEmpty else {
            print("no nodes registered: add one with 'leadsync hub add-node NAME'")
            return
        }
        var table = TextTable(header: ["NODE", "CONNECTED", "LAST SYNC", "ADDRESS", "RECEIVED", "LAG", "CONFLICTS", "SKEW"])
        for node in status.nodes {
            table.add([
                node.node + (node.revoked ? " (revoked)" : ""),
                node.connected ? "yes" : "no",
                node.lastSyncAt.map { Formatting.local(millis: $0) } ?? "never",
                node.lastAddress ?? "-",
                String(node.opsReceived),
                String(node.lag),
                String(node.conflicts),
                node.skewMillis.map(formatSkew) ?? "-",
            ])
        }
        print(table.render(fitting: Formatting.terminalWidth()))
    }
}
