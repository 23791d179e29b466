import Foundation
import LeadSyncProtocol
import LeadSyncTLS
import NIOCore

/// Which way a line travelled, for ``SyncConfiguration/traffic``.
public enum TrafficDirection: String, Sendable {
    /// Client to hub.
    case sent
    /// Hub to client.
    case received
}

/// Where and how a replica syncs.
public struct SyncConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var token: String
    /// TLS with a pin or a CA file, or plaintext; always chosen explicitly.
    public var transport: ClientTransport
    /// The client's own batch limits; narrowed to the hub's after `welcome`.
    public var limits: Limits
    /// How long to wait for the TCP connection, and then again for the TLS handshake.
    public var connectTimeout: TimeAmount
    /// How long to wait for each answer of the hub.
    public var idleTimeout: TimeAmount
    /// Testing aid: cut the session abruptly once this many lines (sent plus received) have been
    /// exchanged — the next line is neither sent nor processed — and fail with
    /// ``SyncError/cutOff(afterLines:)``. Lets tests interrupt a sync at every possible point.
    public var maxLines: Int?
    /// Testing and debugging aid: called with every line sent or received, in order, as on the wire.
    public var traffic: (@Sendable (TrafficDirection, String) -> Void)?
    /// The build sent in `hello` (`client`, e.g. `leadsync 0.1.0`) for the hub's admin page.
    public var client: String?

    public init(
        host: String, port: Int, token: String, transport: ClientTransport, limits: Limits = Limits(), connectTimeout: TimeAmount = .seconds(10),
        idleTimeout: TimeAmount = .seconds(120), maxLines: Int? = nil,
        traffic: (@Sendable (TrafficDirection, String) -> Void)? = nil, client: String? = nil
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.transport = transport
        self.limits = limits
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maxLines = maxLines
        self.traffic = traffic
        self.client = client
    }

    /// Parses `HOST:PORT` (`[::1]:PORT` for IPv6).
    public static func parseAddress(_ address: String) throws(SyncError) -> (host: String, port: Int) {
        let text = address.trimmingCharacters(in: .whitespaces)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port)
        else { throw .invalidHubAddress(address) }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidHubAddress(address) }
        return (host, port)
    }
}
