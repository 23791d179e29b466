import Foundation
import LeadSyncTLS

/// A hub home made, administered and served through the built `leadsync` binary, the way an
/// operator does it: `hub init`, `hub add-node --json`, `hub serve`. The one place tests learn how
/// a replica is set up to sync with a hub (address, token and the TLS fingerprint).
public struct CLIHub: Sendable {
    /// The hub's home directory.
    public let home: String

    /// Runs `hub init` in `home` (which must not hold a hub yet).
    public init(home: String) throws {
        self.home = home
        let result = try LeadSyncBinary.run(["hub", "init", "--home", home])
        guard result.succeeded else { throw CLIHubError(command: "hub init", output: result.stderr) }
    }

    /// The hub already made in `home` (by ``init(home:)`` or `hub init`).
    public init(existingHome home: String) {
        self.home = home
    }

    /// Registers `node` with `hub add-node --json` (extra arguments such as `--plaintext` or
    /// `--tls-cert FILE` go to that command).
    public func addNode(_ node: String, _ arguments: [String] = []) throws -> NodeInvitation {
        let result = try LeadSyncBinary.run(["hub", "add-node", node, "--json", "--home", home] + arguments)
        guard result.succeeded,
              let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let token = object["token"] as? String
        else { throw CLIHubError(command: "hub add-node \(node)", output: result.stdout + result.stderr) }
        let fingerprint = object["fingerprint"] as? String
        return NodeInvitation(node: node, token: token, fingerprint: fingerprint, plaintext: fingerprint == nil)
    }

    /// Starts `hub serve` on a free loopback port (extra arguments such as `--plaintext` go to it).
    public func serve(_ arguments: [String] = []) throws -> HubProcess {
        try HubProcess(home: home, arguments: arguments)
    }
}

/// What a rep gets from the hub operator to set up a replica: node, token and how to trust the hub.
public struct NodeInvitation: Sendable, Hashable {
    public let node: String
    public let token: String
    /// `sha256:…` to pin, or nil.
    public let fingerprint: String?
    /// A CA file to check the hub's certificate with, or nil.
    public let caFile: String?
    /// The hub serves plaintext (`hub serve --plaintext`).
    public let plaintext: Bool

    public init(node: String, token: String, fingerprint: String? = nil, caFile: String? = nil, plaintext: Bool = false) {
        self.node = node
        self.token = token
        self.fingerprint = fingerprint
        self.caFile = caFile
        self.plaintext = plaintext
    }

    /// `leadsync init` arguments (without `--home`) for a replica syncing with `127.0.0.1:port`.
    public func initArguments(port: Int) -> [String] {
        ["init", "--node", node, "--hub", "127.0.0.1:\(port)", "--token=\(token)"] + transportArguments
    }

    /// `--fingerprint sha256:…`, `--ca-file FILE` or `--plaintext`.
    public var transportArguments: [String] {
        if let fingerprint { return ["--fingerprint", fingerprint] }
        if let caFile { return ["--ca-file", caFile] }
        return plaintext ? ["--plaintext"] : []
    }

    /// The same trust for an in-process ``SyncClient``.
    public func clientTransport() throws -> ClientTransport {
        if let fingerprint { return .tls(.pinned(try TLSFingerprint(parsing: fingerprint))) }
        if let caFile { return .tls(.certificateAuthority(file: caFile)) }
        return .plaintext
    }

    /// The replica settings `init` stores from ``initArguments(port:)``, for a replica made
    /// through the library.
    public func settings(port: Int) -> [String: String] {
        var settings = ["hub": "127.0.0.1:\(port)", "token": token]
        if let fingerprint { settings["fingerprint"] = fingerprint }
        if let caFile { settings["ca_file"] = caFile }
        if plaintext { settings["plaintext"] = "true" }
        return settings
    }
}

public struct CLIHubError: Error, CustomStringConvertible {
    public let command: String
    public let output: String
    public var description: String { "leadsync \(command) failed: \(output)" }
}
