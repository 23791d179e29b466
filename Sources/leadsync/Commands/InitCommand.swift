import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncNetwork
import LeadSyncStore
import LeadSyncTLS

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a replica in the home directory.",
        discussion: """
            Creates the home directory and its replica.sqlite, and gives this replica its node \
            name (1-64 characters from a-z, 0-9, '.', '_', '-'; the name the hub knows you by) \
            and a fresh actor id. --hub, --token and how to check the hub (--fingerprint, --ca-file \
            or --plaintext) are stored for 'leadsync sync'. An existing replica is never overwritten.

            Sync runs over TLS. The replica trusts the hub's certificate only by the fingerprint it \
            was given ('leadsync hub add-node' prints the whole line to paste), or, for a certificate \
            from a CA, by --ca-file with the hub's host name checked. Write --token=TOKEN with '=': \
            a token may start with '-'.

            Example:
              leadsync init --node anna-laptop --hub hub.example.com:7420 --token="$TOKEN" \\
                --fingerprint sha256:3f9c…
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("This replica's node name.", valueName: "name"))
    var node: String

    @Option(help: ArgumentHelp("The hub to sync with.", valueName: "host:port"))
    var hub: String?

    @Option(help: ArgumentHelp("The token the hub issued for this node ('leadsync hub add-node').", valueName: "token"))
    var token: String?

    @OptionGroup var transportOptions: TransportOptions

    func run() throws {
        let node = try NodeID(validating: self.node)
        if let hub { try Self.checkHubAddress(hub) }
        if let token, token.isEmpty || token.contains(where: \.isWhitespace) {
            throw CLIError("invalid token: expected the token 'leadsync hub add-node' printed, without spaces")
        }
        let transport = try transportOptions.transport()
        try home.refuseHubHome()
        let directory = home.directory
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError("cannot create home directory \(directory.path): \(error.localizedDescription)")
        }
        let store = try Store.open(path: home.databasePath)
        let identity = try store.initialize(node: node)
        if let hub { try store.setSetting("hub", to: hub) }
        if let token { try store.setSetting("token", to: token) }
        if let transport { try TransportOptions.store(transport, in: store) }
        if output.json {
            try JSONOutput.print(InitJSON(
                home: directory.path, node: identity.node.rawValue, actor: identity.actor.rawValue, hub: hub,
                transport: transport))
        } else {
            print("Initialised replica '\(identity.node)' in \(directory.path)")
            print(TextTable(rows: [
                ["actor", identity.actor.rawValue],
                ["hub", hub ?? "not configured (pass --hub HOST:PORT to 'leadsync sync')"],
                ["transport", TransportOptions.describe(transport)],
            ]).render(indent: "  "))
        }
    }

    /// `HOST:PORT` with a port in 1…65535; `[v6]:PORT` is accepted too.
    static func checkHubAddress(_ raw: String) throws {
        guard let colon = raw.lastIndex(of: ":"), colon != raw.startIndex,
              let port = Int(raw[raw.index(after: colon)...]), (1...65_535).contains(port),
              !raw.contains(where: \.isWhitespace)
        else { throw CLIError("invalid hub address '\(raw)': expected HOST:PORT, e.g. hub.example.com:7420") }
    }

    struct InitJSON: Encodable {
        let home: String
        let node: String
        let actor: String
        let hub: String?
        let transport: ClientTransport?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(home, forKey: .home)
            try container.encode(node, forKey: .node)
            try container.encode(actor, forKey: .actor)
            try container.encode(hub, forKey: .hub)
            var fingerprint: String?
            var caFile: String?
            if case .tls(.pinned(let pin)) = transport { fingerprint = pin.description }
            if case .tls(.certificateAuthority(let file)) = transport { caFile = file }
            try container.encode(fingerprint, forKey: .fingerprint)
            try container.encode(caFile, forKey: .caFile)
            try container.encode(transport == .plaintext, forKey: .plaintext)
        }

        enum CodingKeys: String, CodingKey {
            case home, node, actor, hub, fingerprint, plaintext
            case caFile = "ca_file"
        }
    }
}
