import Foundation
import LeadSyncTLS

/// A hub home served by `leadsync hub serve` (a subprocess on a loopback port) and replica homes
/// set up to sync with it through the CLI. The ONE place end-to-end tests set up "hub home + node +
/// replica", so a change of how replicas reach a hub (e.g. transport options) is made here only.
/// Its methods block: call them on a dedicated thread (``onDedicatedThread(_:)``).
public final class ServedHub: @unchecked Sendable {
    public let root: TemporaryDirectory
    public let hubHome: String
    /// How the hub commands name this hub: `--home hubHome` by default.
    public let location: HubArguments
    public let server: HubProcess
    /// The hub certificate's `sha256:…` fingerprint, which replicas pin.
    public let fingerprint: String

    /// `HOST:PORT` replicas sync with.
    public var address: String { "127.0.0.1:\(server.port)" }

    /// - Parameter location: how the hub commands name the hub, given the root directory;
    ///   `--home ROOT/hub` when nil.
    public init(_ label: String = "served-hub", location: ((TemporaryDirectory) -> HubArguments)? = nil) throws {
        root = try TemporaryDirectory(label)
        hubHome = root.appending("hub").path
        self.location = location?(root) ?? .home(hubHome)
        try Self.require(LeadSyncBinary.run(["hub", "init"] + self.location.arguments), "hub init")
        fingerprint = try TLSServerIdentity.fingerprint(ofCertificateAt: hubHome + "/tls-cert.pem").description
        server = try HubProcess(location: self.location)
    }

    /// Registers `node` (with `reissue`, gives an existing node a new token) and returns its token.
    public func addNode(_ node: String, reissue: Bool = false) throws -> String {
        let result = try LeadSyncBinary.run(["hub", "add-node", node] + location.arguments + (reissue ? ["--reissue"] : []))
        try Self.require(result, "hub add-node \(node)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Registers `node` and creates its replica with `leadsync init --hub … --token … --fingerprint …`.
    /// - Returns: the replica's home directory.
    public func makeReplica(_ node: String) throws -> String {
        let token = try addNode(node)
        let home = root.appending(node).path
        try Self.require(
            LeadSyncBinary.run(["init", "--node", node, "--hub", address, "--token", token, "--fingerprint", fingerprint, "--home", home]), "init \(node)")
        return home
    }

    /// Kills the hub process (tests that need it gone early; it dies with the test process anyway).
    public func stop() {
        server.stop()
    }

    deinit {
        server.stop()
    }

    private static func require(_ result: CommandResult, _ what: String) throws {
        guard result.succeeded else { throw ServedHubError(description: "\(what) failed (\(result.status)): \(result.stderr)") }
    }
}

public struct ServedHubError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}
