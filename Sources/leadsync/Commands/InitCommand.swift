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
            or --plaintext) are stored for 'leadsync sync'. --region is the country phone numbers \
            without a country code are dialled in (030 1234567 with --region DE is stored as \
            +49301234567). An existing replica is never overwritten: change its settings with \
            'leadsync config'.

            Sync runs over TLS. The replica trusts the hub's certificate only by the fingerprint it \
            was given ('leadsync hub add-node' prints the whole line to paste), or, for a certificate \
            from a CA, by --ca-file with the hub's host name checked. A token may start with '-'.

            Example:
              leadsync init --node anna-laptop --hub hub.example.com:7420 --token="$TOKEN" \\
                --fingerprint sha256:3f9c… --region DE
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("This replica's node name.", valueName: "name"))
    var node: String

    @Option(help: ArgumentHelp("The hub to sync with.", valueName: "host:port"))
    var hub: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The token the hub issued for this node ('leadsync hub add-node').", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp(
        "Default phone region: the ISO 3166-1 country (DE, Germany, Deutschland) of numbers typed without +country code.",
        valueName: "country"))
    var region: String?

    @OptionGroup var transportOptions: TransportOptions

    func run() throws {
        let node = try NodeID(validating: self.node)
        let hub = try self.hub.map { try ReplicaSetting.hub.validate($0) }
        let token = try self.token.map { try ReplicaSetting.token.validate($0) }
        let region = try self.region.map(Self.phoneRegion)
        let transport = try transportOptions.transport()
        try home.refuseHubHome()
        let directory = home.directory
        do {
            if let warning = PrivateFiles.warning(forHome: directory) { Terminal.printError(warning) }
            try PrivateFiles.createDirectory(directory)
        } catch {
            throw CLIError("cannot create home directory \(directory.path): \(error.localizedDescription)", status: .ioError)
        }
        let store = try Store.open(path: home.databasePath)
        if let existing = try store.identity() {
            throw CLIError(
                "\(directory.path) already holds a replica (node '\(existing.node)'): nothing was changed. Give it a hub "
                    + "or a new token with 'leadsync config set hub HOST:PORT' and 'leadsync config set token -' "
                    + "(see 'leadsync config'), or pass another --home for a new replica",
                status: .usage)
        }
        let identity = try store.initialize(node: node)
        if let hub { try store.setSetting("hub", to: hub) }
        if let token { try store.setSetting("token", to: token) }
        if let region { try store.setSetting("region", to: region) }
        if let transport { try TransportOptions.store(transport, in: store) }
        if output.json {
            try JSONOutput.print(InitJSON(
                home: directory.path, node: identity.node.rawValue, actor: identity.actor.rawValue, hub: hub,
                region: region, transport: transport))
        } else {
            print("Initialised replica '\(identity.node)' in \(directory.path)")
            print(TextTable(rows: [
                ["actor", identity.actor.rawValue],
                ["hub", hub ?? "not configured (later: 'leadsync config set hub HOST:PORT')"],
                ["region", region ?? "none (phone numbers need a +country code or a country on the lead)"],
                ["transport", TransportOptions.describe(transport)],
            ]).render(indent: "  "))
        }
    }

    /// An ISO 3166-1 alpha-2 code from a code or a country name, if phone numbers are known there.
    static func phoneRegion(_ raw: String) throws -> String {
        guard let code = LeadValidator.countryCode(raw), LeadValidator.isPhoneRegion(code) else {
            throw CLIError("invalid region '\(raw)': expected a country as ISO 3166-1 code or name, e.g. DE or Germany")
        }
        return code
    }

    /// `HOST:PORT` with a port in 1…65535; `[v6]:PORT` is accepted too.
    static func checkHubAddress(_ raw: String) throws {
        guard let colon = raw.lastIndex(of: ":"), colon != raw.startIndex,
              let port = Int(raw[raw.index(after: colon)...]), (1...65_535).contains(port),
              !raw.contains(where: \.isWhitespace)
        else {
            throw CLIError("invalid hub address '\(raw)': expected HOST:PORT, e.g. hub.example.com:7420", status: .dataError)
        }
    }

    struct InitJSON: Encodable {
        let home: String
        let node: String
        let actor: String
        let hub: String?
        let region: String?
        let transport: ClientTransport?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(home, forKey: .home)
            try container.encode(node, forKey: .node)
            try container.encode(actor, forKey: .actor)
            try container.encode(hub, forKey: .hub)
            try container.encode(region, forKey: .region)
            var fingerprint: String?
            var caFile: String?
            if case .tls(.pinned(let pin)) = transport { fingerprint = pin.description }
            if case .tls(.certificateAuthority(let file)) = transport { caFile = file }
            try container.encode(fingerprint, forKey: .fingerprint)
            try container.encode(caFile, forKey: .caFile)
            try container.encode(transport == .plaintext, forKey: .plaintext)
        }

        enum CodingKeys: String, CodingKey {
            case home, node, actor, hub, region, fingerprint, plaintext
            case caFile = "ca_file"
        }
    }
}
