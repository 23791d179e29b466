/// Where and how the admin server listens.
public struct AdminServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// How long a page sign-in lasts.
    public var sessionLifetimeSeconds: Int
    /// Marks the session cookie `Secure`; set when the server is behind TLS.
    public var secureCookies: Bool

    public init(host: String = "127.0.0.1", port: Int, sessionLifetimeSeconds: Int = 12 * 3600, secureCookies: Bool = false) {
        self.host = host
        self.port = port
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.secureCookies = secureCookies
    }

    /// Refuses a host that is not a loopback address: tokens and cookies must not cross a network
    /// in clear text, and TLS for the admin port comes with the hub certificate.
    public func validated() throws(AdminServerError) -> AdminServerConfiguration {
        guard Self.isLoopback(host) else { throw .nonLoopbackHost(host) }
        guard (0...65535).contains(port) else { throw .badPort(port) }
        return self
    }

    static func isLoopback(_ host: String) -> Bool {
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
            refusing to serve the admin page on '\(host)': a non-loopback admin address requires TLS, \
            which comes with the hub certificate. Nothing was started. Use --admin-host 127.0.0.1 \
            (the default) and reach it through an SSH tunnel meanwhile.
            """
        case .badPort(let port):
            "--admin-port must be 0-65535, not \(port)"
        }
    }
}
