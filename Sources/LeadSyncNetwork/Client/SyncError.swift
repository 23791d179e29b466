import LeadSyncProtocol
import LeadSyncStore

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

    static let safeLocally = "Your data is safe locally; run 'leadsync sync' again later."

    public var description: String {
        switch self {
        case .notAReplica(let path):
            "no replica at \(path): run 'leadsync init --node NAME' first (or pass --home)"
        case .noHubConfigured:
            "no hub configured: pass --hub HOST:PORT, or store one with 'leadsync config set hub HOST:PORT'"
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
