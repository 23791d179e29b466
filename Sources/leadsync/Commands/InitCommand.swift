import ArgumentParser
import Foundation
import LeadSyncCore
import LeadSyncStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a replica in the home directory.",
        discussion: """
            Creates the home directory and its replica.sqlite, and gives this replica its node \
            name (1-64 characters from a-z, 0-9, '.', '_', '-'; the name the hub knows you by) \
            and a fresh actor id. --hub and --token are stored for 'leadsync sync'. An existing \
            replica is never overwritten.

            Example:
              leadsync init --node anna-laptop --hub hub.example.com:7420 --token "$TOKEN"
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("This replica's node name.", valueName: "name"))
    var node: String

    @Option(help: ArgumentHelp("The hub to sync with.", valueName: "host:port"))
    var hub: String?

    @Option(help: ArgumentHelp("The token the hub issued for this node ('leadsync hub add-node').", valueName: "token"))
    var token: String?

    func run() throws {
        let node = try NodeID(validating: self.node)
        if let hub { try Self.checkHubAddress(hub) }
        if let token, token.isEmpty || token.contains(where: \.isWhitespace) {
            throw CLIError("invalid token: expected the token 'leadsync hub add-node' printed, without spaces")
        }
        try home.refuseHubHome()
        let directory = home.directory
        do {
            if let warning = PrivateFiles.warning(forHome: directory) { Terminal.printError(warning) }
            try PrivateFiles.createDirectory(directory)
        } catch {
            throw CLIError("cannot create home directory \(directory.path): \(error.localizedDescription)")
        }
        let store = try Store.open(path: home.databasePath)
        let identity = try store.initialize(node: node)
        if let hub { try store.setSetting("hub", to: hub) }
        if let token { try store.setSetting("token", to: token) }
        if output.json {
            try JSONOutput.print(InitJSON(
                home: directory.path, node: identity.node.rawValue, actor: identity.actor.rawValue, hub: hub))
        } else {
            print("Initialised replica '\(identity.node)' in \(directory.path)")
            print(TextTable(rows: [
                ["actor", identity.actor.rawValue],
                ["hub", hub ?? "not configured (pass --hub HOST:PORT to 'leadsync sync')"],
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

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(home, forKey: .home)
            try container.encode(node, forKey: .node)
            try container.encode(actor, forKey: .actor)
            try container.encode(hub, forKey: .hub)
        }

        enum CodingKeys: String, CodingKey { case home, node, actor, hub }
    }
}
