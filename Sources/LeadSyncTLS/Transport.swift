/// How a hub listens: TLS (the default everywhere) or, when the operator asks for it, plaintext.
public enum ServerTransport: Sendable {
    /// Plaintext TCP, e.g. behind a TLS-terminating proxy. Refuses TLS clients.
    case plaintext
    /// TLS with this certificate; refuses plaintext clients with a `tls_required` error.
    case tls(TLSServerIdentity)
}

/// How a replica connects: TLS with a trust decision, or plaintext when the rep asked for it.
public enum ClientTransport: Sendable, Hashable {
    case plaintext
    case tls(ClientTrust)

    public var isTLS: Bool {
        if case .tls = self { return true }
        return false
    }
}
