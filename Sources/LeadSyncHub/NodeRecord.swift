import LeadSyncCore

/// A node as the hub's registry knows it: its credentials' state and what its syncs did.
public struct NodeRecord: Sendable, Hashable {
    public let node: NodeID
    public var revoked: Bool
    /// Unix milliseconds.
    public var createdAt: Int64
    /// End of the node's last successful session, Unix milliseconds.
    public var lastSyncAt: Int64?
    /// Peer address of the node's last session.
    public var lastAddress: String?
    /// Operations the node pushed that were new to the hub, over all sessions.
    public var opsReceived: Int64
    /// The clock the node last reported (its `hello`, then its `ack`s): what it is known to have.
    public var acknowledgedClock: VectorClock
    /// The node's wall clock minus the hub's at its last `hello`, in milliseconds.
    public var skewMillis: Int64?
    /// Sessions of this node open right now.
    public var connected: Int

    public init(
        node: NodeID, revoked: Bool, createdAt: Int64, lastSyncAt: Int64?, lastAddress: String?, opsReceived: Int64,
        acknowledgedClock: VectorClock, skewMillis: Int64?, connected: Int
    ) {
        self.node = node
        self.revoked = revoked
        self.createdAt = createdAt
        self.lastSyncAt = lastSyncAt
        self.lastAddress = lastAddress
        self.opsReceived = opsReceived
        self.acknowledgedClock = acknowledgedClock
        self.skewMillis = skewMillis
        self.connected = connected
    }
}

/// The outcome of checking a node's token.
public enum AuthenticationResult: Sendable, Hashable {
    case accepted
    case unknownNode
    case wrongToken
    case revoked
}

/// Why a registry request failed.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case nodeExists(String)
    case reservedNode(String)
    case unknownNode(String)
    case notAHub(String)
    case alreadyInitialized(String)
    case database(String)

    public var description: String {
        switch self {
        case .nodeExists(let node):
            "node '\(node)' is already registered (use --reissue to give it a new token)"
        case .reservedNode(let node):
            "node name '\(node)' is reserved for the hub itself; choose another name"
        case .unknownNode(let node):
            "no node '\(node)' in this hub's registry"
        case .notAHub(let path):
            "no hub at \(path): run 'leadsync hub init --home DIR' first (or pass --home)"
        case .alreadyInitialized(let path):
            "\(path) already holds a hub"
        case .database(let message):
            "hub registry error: \(message)"
        }
    }
}
