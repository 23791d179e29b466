import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncHub

struct HubAddNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-node",
        abstract: "Register a node and print its token (shown only once).",
        discussion: "The hub keeps only the token's SHA-256. Standard output is the token alone, for scripts.")

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The node's name: 1-64 of a-z, 0-9, '.', '_', '-'.")
    var name: String

    @Flag(help: "Issue a new token for an existing (possibly revoked) node; the old token stops working.")
    var reissue = false

    func validate() throws {
        do { _ = try NodeID(validating: name) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let node = try NodeID(validating: name)
        let registry = try home.existingHub().openRegistry()
        let token = try registry.addNode(node, reissue: reissue)
        if output.json {
            try JSONOutput.print(["node": node.rawValue, "token": token])
        } else {
            print(token)
            FileHandle.standardError.write(Data("""
                node '\(node)' registered. The token above is shown only once; give it to the rep:
                  leadsync init --node \(node) --hub HOST:PORT --token \(token)

                """.utf8))
        }
    }
}

struct HubRevokeNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-node",
        abstract: "Revoke a node's token: its next sync is refused. Its operations already on the hub stay.")

    @OptionGroup var home: HubHomeOptions

    @Argument(help: "The node's name.")
    var name: String

    func run() async throws {
        let node = try NodeID(validating: name)
        try home.existingHub().openRegistry().revokeNode(node)
        print("revoked node '\(node)'")
    }
}

struct HubListNodes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-nodes", abstract: "List registered nodes.")

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let nodes = try home.existingHub().openRegistry().nodes()
        if output.json {
            try JSONOutput.print(nodes.map { NodeListing(node: $0.node.rawValue, revoked: $0.revoked, createdAt: $0.createdAt) })
            return
        }
        guard !nodes.isEmpty else {
            print("no nodes registered: add one with 'leadsync hub add-node NAME'")
            return
        }
        var table = TextTable(header: ["NODE", "STATE", "REGISTERED"])
        for node in nodes {
            table.add([node.node.rawValue, node.revoked ? "revoked" : "active", Formatting.local(millis: node.createdAt)])
        }
        print(table.render())
    }
}

private struct NodeListing: Encodable {
    let node: String
    let revoked: Bool
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case node, revoked
        case createdAt = "created_at"
    }
}
