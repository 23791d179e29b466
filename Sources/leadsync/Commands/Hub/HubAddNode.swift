import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncHubSQLite
import LeadSyncTLS

struct HubAddNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-node",
        abstract: "Register a node and print its token (shown only once).",
        discussion: """
            The hub keeps only the token's SHA-256. Standard output is the token alone, for scripts; \
            standard error shows the whole 'leadsync init' line for the rep to paste, with the hub's \
            certificate fingerprint. Its address is --hub-address, else the placeholder \
            HUB_HOST:7420 to replace. --json prints token, node, hub id, fingerprint and that line.
            """)

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The node's name: 1-64 of a-z, 0-9, '.', '_', '-'.")
    var name: String

    @Flag(help: "Issue a new token for an existing (possibly revoked) node; the old token stops working.")
    var reissue = false

    @Option(help: ArgumentHelp(
        "The address replicas reach the hub at, for the printed init line (default: a placeholder).",
        valueName: "host:port"))
    var hubAddress: String?

    @Option(help: ArgumentHelp(
        "The certificate 'hub serve --tls-cert' serves, if not the home's: its fingerprint is printed.",
        valueName: "file"))
    var tlsCert: String?

    @Flag(help: "The hub runs 'hub serve --plaintext': the init line says --plaintext instead of a fingerprint.")
    var plaintext = false

    static let addressPlaceholder = "HUB_HOST:7420"

    func validate() throws {
        do { _ = try NodeID(validating: name) } catch { throw ValidationError(error.description) }
        if let hubAddress {
            do { try InitCommand.checkHubAddress(hubAddress) } catch { throw ValidationError("--hub-address: \(error)") }
        }
        guard !(plaintext && tlsCert != nil) else { throw ValidationError("--plaintext and --tls-cert exclude each other") }
    }

    func run() async throws {
        let node = try NodeID(validating: name)
        let location = try home.location
        guard location.home != nil || tlsCert != nil || plaintext else {
            throw CLIError("a PostgreSQL hub has no home certificate: pass --tls-cert FILE (what 'hub serve --tls-cert' serves) or --plaintext")
        }
        let (token, hubID, fingerprint) = try await withHub(location) { hub in
            var fingerprint: TLSFingerprint?
            if let tlsCert {
                fingerprint = try TLSServerIdentity.fingerprint(ofCertificateAt: tlsCert)
            } else if !plaintext {
                fingerprint = try location.home?.ensureCertificateReporting()
            }
            return (try await hub.addNode(node, reissue: reissue), try await hub.hubID(), fingerprint)
        }
        let trust = fingerprint.map { "--fingerprint \($0)" } ?? "--plaintext"
        let initLine = "leadsync init --node \(node) --hub \(hubAddress ?? Self.addressPlaceholder) --token=\(token) \(trust)"
        if output.json {
            try JSONOutput.print(AddNodeJSON(
                node: node.rawValue, token: token, hub: hubID, hubAddress: hubAddress,
                fingerprint: fingerprint?.description, initCommand: initLine))
        } else {
            print(token)
            let replace = hubAddress == nil ? " (replace \(Self.addressPlaceholder) with the hub's address)" : ""
            FileHandle.standardError.write(Data("""
                node '\(node)' registered. The token above is shown only once; give the rep this line\(replace):
                  \(initLine)

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
        try await withHub(try home.location) { try await $0.revokeNode(node) }
        print("revoked node '\(node)'")
    }
}

struct HubListNodes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-nodes", abstract: "List registered nodes.")

    @OptionGroup var home: HubHomeOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let nodes = try await withHub(try home.location) { try await $0.nodes() }
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

/// `hub add-node --json`.
private struct AddNodeJSON: Encodable {
    let node: String
    let token: String
    let hub: String
    let hubAddress: String?
    let fingerprint: String?
    let initCommand: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node, forKey: .node)
        try container.encode(token, forKey: .token)
        try container.encode(hub, forKey: .hub)
        try container.encode(hubAddress, forKey: .hubAddress)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encode(initCommand, forKey: .initCommand)
    }

    enum CodingKeys: String, CodingKey {
        case node, token, hub, fingerprint
        case hubAddress = "hub_address"
        case initCommand = "init_command"
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
