import LeadSyncTLS

/// Where and how the admin server listens.
public struct AdminServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// How long a page sign-in lasts.
    public var sessionLifetimeSeconds: Int
    /// Serve HTTPS with this identity (the hub's certificate); required on a non-loopback host.
    public var tls: TLSServerIdentity?

    public init(host: String = "127.0.0.1", port: Int, sessionLifetimeSeconds: Int = 12 * 3600, tls: TLSServerIdentity? = nil) {
        self.host = host
        self.port = port
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.tls = tls
    }

    /// Marks the session cookie `Secure`: set under TLS, where browsers then never send it in clear.
    public var secureCookies: Bool { tls != nil }

    /// Refuses a non-loopback host without TLS: tokens and cookies must not cross a network in
    /// clear text.
    public func validated() throws(AdminServerError) -> AdminServerConfiguration {
        guard tls != nil || Self.isLoopback(host) else { throw .nonLoopbackHost(host) }
        guard (0...65535).contains(port) else { throw .badPort(port) }
        return self
    }

    /// 127.0.0.0/8, `::1` and `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}

/// Why the admin server cannot start.
public enum AdminServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case nonLoopbackHost(String)
    case badPort(Int)

    public var description: String {
        switch self {
        case .nonLoopbackHost(let host):
            """
            refusing to serve the admin page on '\(host)': a non-loopback admin address requires TLS \
            (admin tokens and cookies would cross the network readable). Nothing was started. Give \
            the server the hub's certificate, or use 127.0.0.1 and an SSH tunnel.
            """
        case .badPort(let port):
            "--admin-port must be 0-65535, not \(port)"
        }
    }
}
