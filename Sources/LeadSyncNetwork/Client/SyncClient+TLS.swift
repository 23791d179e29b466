import LeadSyncTLS
import NIOCore
import NIOSSL

extension SyncClient {
    /// Turns a failed TLS handshake into the error that tells the rep what happened and what to do.
    static func handshakeFailure(
        _ error: any Error, hub: String, transport: ClientTransport, observation: TLSObservation
    ) -> SyncError {
        guard case .tls(let trust) = transport else { return .connectionLost("\(error)") }
        if case .pinned(let pin) = trust, let seen = observation.fingerprint, seen != pin {
            return .fingerprintMismatch(hub: hub, pinned: pin, presented: seen)
        }
        if error is HandshakeWaiter.Timeout {
            return .tlsFailed(hub: hub, reason: "no TLS handshake within the connect timeout; the hub may not speak TLS")
        }
        let text = Self.describeTLSError(error)
        let notTLS = ["WRONG_VERSION_NUMBER", "EOF during handshake", "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST"]
        if notTLS.contains(where: text.contains) || (error as? ChannelError) == .eof {
            return .hubNotTLS(hub: hub)
        }
        if case .certificateAuthority(let file) = trust {
            if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
                return .untrustedCertificate(
                    hub: hub, caFile: file,
                    reason: "its certificate does not name the host \(hub.split(separator: ":").dropLast().joined(separator: ":"))")
            }
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return .untrustedCertificate(
                    hub: hub, caFile: file, reason: "its certificate is not issued by a CA in that file, or is not valid now")
            }
        }
        return .tlsFailed(hub: hub, reason: text)
    }

    private static func describeTLSError(_ error: any Error) -> String {
        if let error = error as? NIOSSLError, case .handshakeFailed(let inner) = error { return "\(inner)" }
        return "\(error)"
    }
}
