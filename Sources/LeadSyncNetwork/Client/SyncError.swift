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
    case store(StoreError)

    static let safeLocally = "Your data is safe locally; run 'leadsync sync' again later."

    public var description: String {
        switch self {
        case .notAReplica(let path):
            "no replica at \(path): run 'leadsync init --node NAME' first (or pass --home)"
        case .noHubConfigured:
            "no hub configured: pass --hub HOST:PORT, or run 'leadsync init --hub HOST:PORT --token TOKEN'"
        case .noTokenConfigured:
            "no token configured for this replica: ask the hub operator for one ('leadsync hub add-node NAME')"
        case .invalidHubAddress(let address):
            "invalid hub address '\(address)': expected HOST:PORT"
        case .unreachable(let hub, let reason):
            "cannot reach the hub at \(hub) (\(reason)). \(Self.safeLocally)"
        case .refused(let error):
            switch error.code {
            case .unauthorized:
                "the hub refused this replica's token (\(error.message)); check the token with the hub operator"
            case .revoked:
                "this node has been revoked on the hub; ask the hub operator for a new token"
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
            "the connection to the hub was lost (\(reason)). \(Self.safeLocally)"
        case .cutOff(let lines):
            "session cut after \(lines) lines (testing aid)"
        case .store(let error):
            error.description
        }
    }
}
