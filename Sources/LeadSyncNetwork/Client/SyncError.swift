import LeadSyncProtocol
import LeadSyncStore
import LeadSyncTLS

/// Why a sync failed, worded for the rep in front of the laptop. Local data is never at risk: every
/// failure leaves the replica as it was plus whatever batches were committed.
public enum SyncError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAReplica(String)
    case noHubConfigured
    case noTokenConfigured
    case invalidHubAddress(String)
    /// The hub could not be reached at all.
    case unreachable(hub: String, reason: String)
    /// The hub ended the session with an error.
    case refused(ProtocolError)
    /// This client found the hub's messages wrong and ended the session.
    case protocolViolation(ProtocolError)
    /// The connection dropped mid-session.
    case connectionLost(String)
    /// The ``SyncConfiguration/maxLines`` testing aid cut the session.
    case cutOff(afterLines: Int)
    /// This replica could not store a batch the hub sent (a full disk, a damaged file): a local
    /// problem, not the hub's. `received` operations were committed before it.
    case localWriteFailed(StoreError, received: Int)
    case store(StoreError)
    /// TLS is on and this replica has no way to check the hub's certificate.
    case noTrustConfigured
    /// A CA file or pin that cannot be used.
    case tls(TLSError)
    /// The hub presented another certificate than the pinned one; nothing was sent.
    case fingerprintMismatch(hub: String, pinned: TLSFingerprint, presented: TLSFingerprint)
    /// The hub's certificate is not vouched for by the replica's CA file; nothing was sent.
    case untrustedCertificate(hub: String, caFile: String, reason: String)
    /// A TLS client reached a plaintext hub.
    case hubNotTLS(hub: String)
    /// A plaintext client reached a TLS hub (`tls_required`).
    case hubRequiresTLS(hub: String)
    /// The TLS handshake failed for another reason.
    case tlsFailed(hub: String, reason: String)

    static let safeLocally = "Your data is safe locally; run 'leadsync sync' again later."

    public var description: String {
        switch self {
        case .notAReplica(let path):
            "no replica at \(path): run 'leadsync init --node NAME' first (or pass --home)"
        case .noHubConfigured:
            "no hub configured: pass --hub HOST:PORT, or store one with 'leadsync config set hub HOST:PORT' (a new replica: the 'leadsync init' line 'leadsync hub add-node' prints sets hub, token and fingerprint)"
        case .noTokenConfigured:
            "no token configured for this replica: ask the hub operator for one ('leadsync hub add-node NAME'), "
                + "then store it with 'leadsync config set token -' (it reads the token from standard input)"
        case .invalidHubAddress(let address):
            "invalid hub address '\(address)': expected HOST:PORT"
        case .unreachable(let hub, let reason):
            "cannot reach the hub at \(hub) (\(reason)). \(Self.safeLocally)"
        case .refused(let error):
            switch error.code {
            case .unauthorized:
                "the hub refused this replica's token (\(error.message)); nothing was sent or received. Check the token "
                    + "with the hub operator and store the right one with 'leadsync config set token -'"
            case .revoked:
                "this node has been revoked on the hub; nothing was sent or received. Ask the hub operator for a new "
                    + "token ('leadsync hub add-node NAME --reissue'), then store it with 'leadsync config set token -'"
            case .protocolMismatch:
                "the hub speaks another protocol version (\(error.message)); update leadsync"
            case .busy, .shuttingDown, .timeout, .internal:
                "the hub ended the sync: \(error.message). \(Self.safeLocally)"
            default:
                "the hub refused the sync (\(error.code)): \(error.message)"
            }
        case .protocolViolation(let error):
            "the hub sent something unexpected (\(error.code)): \(error.message). \(Self.safeLocally)"
        case .connectionLost(let reason):
            "the connection to the hub was lost (\(reason)); what the hub acknowledged before is kept on both "
                + "sides and the rest is sent next time. \(Self.safeLocally)"
        case .cutOff(let lines):
            "session cut after \(lines) lines (testing aid)"
        case .localWriteFailed(let error, let received):
            "this replica could not store what the hub sent: \(Self.localProblem(error)). The \(received) "
                + "operations received before were saved; nothing of the failed batch was written, and the hub "
                + "still has all of it. \(Self.localFix(error))"
        case .store(let error):
            error.description
        case .noTrustConfigured:
            """
            this replica has no way to check the hub's identity, and it never trusts an unknown certificate: \
            get the hub's fingerprint from the hub operator ('leadsync hub add-node' prints it) and run \
            'leadsync config set fingerprint sha256:…', or pass --fingerprint sha256:… to 'leadsync sync' \
            (or to 'leadsync init'); for a CA-issued hub certificate pass --ca-file FILE; only if the hub \
            runs with --plaintext, pass --plaintext. Nothing was sent.
            """
        case .tls(let error):
            error.description
        case .fingerprintMismatch(let hub, let pinned, let presented):
            """
            the hub at \(hub) presented the certificate \(presented), but this replica is pinned to \(pinned); \
            nothing was sent (not even the token). If the hub operator replaced the hub's certificate, \
            confirm the new fingerprint with them and run 'leadsync config set fingerprint \(presented)' \
            (or pass --fingerprint to 'leadsync sync'); otherwise someone may be intercepting this \
            network: do not sync here. Your data is safe locally.
            """
        case .untrustedCertificate(let hub, let caFile, let reason):
            """
            the hub at \(hub) is not trusted by the CA file \(caFile): \(reason); nothing was sent. \
            Check the address and the CA file with the hub operator. Your data is safe locally.
            """
        case .hubNotTLS(let hub):
            """
            the hub at \(hub) does not speak TLS; if it runs with --plaintext (e.g. behind a \
            TLS-terminating proxy), pass --plaintext. Nothing was sent.
            """
        case .hubRequiresTLS(let hub):
            """
            the hub at \(hub) requires TLS, but this replica connected in plaintext (--plaintext): \
            drop --plaintext and pass the hub's fingerprint (--fingerprint sha256:…, from \
            'leadsync hub add-node') or --ca-file FILE. \(Self.safeLocally)
            """
        case .tlsFailed(let hub, let reason):
            "the TLS handshake with the hub at \(hub) failed (\(reason)). \(Self.safeLocally)"
        }
    }
}

extension SyncError {
    /// A local storage failure in the rep's words, without SQLite codes.
    static func localProblem(_ error: StoreError) -> String {
        switch error {
        case .diskFull: "the disk holding the replica is full"
        case .corrupt: "the replica's database file is damaged"
        default: "writing the replica's database failed"
        }
    }

    static func localFix(_ error: StoreError) -> String {
        switch error {
        case .diskFull: "Free some disk space, then run 'leadsync sync' again."
        case .corrupt: "Copy the home directory somewhere safe and ask for help (Docs/troubleshooting.md)."
        default: "Check the disk and the home directory's permissions, then run 'leadsync sync' again."
        }
    }

    /// A dropped connection's cause in plain words (never a NIO call name or errno).
    public static func lostConnection(_ text: String) -> String {
        if text.contains("reset by peer") || text.contains("ECONNRESET") { return "the hub or the network reset it" }
        if text.contains("closed channel") || text.contains("alreadyClosed") || text.contains("EPIPE")
            || text.contains("Broken pipe")
        {
            return "the hub closed it"
        }
        if text.contains("timed out") || text.contains("ETIMEDOUT") { return "it timed out" }
        return "the network failed"
    }
}
