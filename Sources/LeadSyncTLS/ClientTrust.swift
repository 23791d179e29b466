import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// How a replica decides to trust its hub's certificate. There is no "trust anything" case: a
/// replica never trusts an unknown certificate silently.
public enum ClientTrust: Sendable, Hashable {
    /// Exactly the certificate with this fingerprint; its names and dates are not checked.
    case pinned(TLSFingerprint)
    /// Any certificate issued by a CA in this PEM file that is valid now and names the host the
    /// replica connects to (a DNS name, or an IP address as an IP subject alternative name).
    case certificateAuthority(file: String)

    /// Checks the CA file once, so a bad file is reported before any connection is made.
    public func validate() throws(TLSError) {
        if case .certificateAuthority(let file) = self { _ = try TLSServerIdentity.certificates(at: file) }
    }

    /// A client handler for one connection to `host`; what it sees of the hub's certificate goes
    /// into `observation`, for error messages.
    public func makeHandler(host: String, observation: TLSObservation) throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        switch self {
        case .pinned(let pin):
            // Verification stays on so the callback runs; the callback replaces chain, date and
            // name checks with the pin. No CA is trusted (nor loaded: the system bundle is large).
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates([])
            let context = try NIOSSLContext(configuration: configuration)
            return try NIOSSLClientHandler(context: context, serverHostname: nil, customVerificationCallback: {
                certificates, promise in
                guard let leaf = certificates.first, let der = try? leaf.toDERBytes() else {
                    promise.succeed(.failed)
                    return
                }
                let seen = TLSFingerprint(derBytes: der)
                observation.record(seen)
                promise.succeed(seen == pin ? .certificateVerified : .failed)
            })
        case .certificateAuthority(let file):
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = .certificates(try TLSServerIdentity.certificates(at: file))
            let context = try NIOSSLContext(configuration: configuration)
            // With no server name NIOSSL checks the certificate against the connected IP address.
            return try NIOSSLClientHandler(context: context, serverHostname: Self.isIPAddress(host) ? nil : host)
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

/// What a client saw of the hub's certificate during one handshake.
public final class TLSObservation: Sendable {
    private let seen = NIOLockedValueBox<TLSFingerprint?>(nil)

    public init() {}

    /// The fingerprint of the hub's leaf certificate, once the handshake got that far (pinned trust).
    public var fingerprint: TLSFingerprint? { seen.withLockedValue { $0 } }

    func record(_ fingerprint: TLSFingerprint) {
        seen.withLockedValue { $0 = fingerprint }
    }
}
