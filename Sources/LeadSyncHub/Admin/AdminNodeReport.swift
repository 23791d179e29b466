import LeadSyncCore

/// One node's row on the admin page and in `/api/v1/nodes`: the registry's facts about it plus
/// figures derived from the hub's clock. Keys are documented in Docs/admin-api.md.
public struct AdminNodeReport: Sendable, Hashable, Codable {
    public var node: String
    /// `active` or `revoked`.
    public var state: String
    public var connected: Bool
    /// Last `hello` or session end, Unix milliseconds.
    public var lastSeenAt: Int64?
    /// End of the last successful session, Unix milliseconds.
    public var lastSyncAt: Int64?
    public var lastAddress: String?
    /// The protocol version of the node's last `hello`.
    public var clientProtocol: Int?
    /// The build its last `hello` named (`leadsync 0.1.0`); nil for clients that send none.
    public var clientVersion: String?
    /// Node wall clock minus hub wall clock at the last `hello`, milliseconds.
    public var skewMillis: Int64?
    /// Operations the node pushed that were new to the hub, over all sessions.
    public var opsPushed: Int64
    /// Operations the hub sent the node, over all sessions.
    public var opsPulled: Int64
    /// "Hub ahead": operations the hub holds that the node has not acknowledged.
    public var hubAhead: UInt64
    /// "Waiting on laptop": operations the node held that the hub lacked at its last contact.
    public var waitingOnNode: UInt64
    /// Open conflicts on the hub in which one of the node's writes takes part.
    public var conflicts: Int
    /// The error that ended its last failed session, if any.
    public var lastError: String?

    public init(
        node: String, state: String, connected: Bool, lastSeenAt: Int64?, lastSyncAt: Int64?, lastAddress: String?,
        clientProtocol: Int?, clientVersion: String? = nil, skewMillis: Int64?, opsPushed: Int64, opsPulled: Int64, hubAhead: UInt64,
        waitingOnNode: UInt64, conflicts: Int, lastError: String?
    ) {
        self.node = node
        self.state = state
        self.connected = connected
        self.lastSeenAt = lastSeenAt
        self.lastSyncAt = lastSyncAt
        self.lastAddress = lastAddress
        self.clientProtocol = clientProtocol
        self.clientVersion = clientVersion
        self.skewMillis = skewMillis
        self.opsPushed = opsPushed
        self.opsPulled = opsPulled
        self.hubAhead = hubAhead
        self.waitingOnNode = waitingOnNode
        self.conflicts = conflicts
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case node, state, connected, conflicts
        case lastSeenAt = "last_seen_at"
        case lastSyncAt = "last_sync_at"
        case lastAddress = "last_address"
        case clientProtocol = "client_protocol"
        case clientVersion = "client_version"
        case skewMillis = "skew_ms"
        case opsPushed = "ops_pushed"
        case opsPulled = "ops_pulled"
        case hubAhead = "hub_ahead"
        case waitingOnNode = "waiting_on_node"
        case lastError = "last_error"
    }
}

/// What the admin server reads in one go: the hub's identity and every node's row.
public struct AdminReport: Sendable, Hashable, Codable {
    public var hub: String
    public var operations: Int
    /// Open conflicts on the hub.
    public var conflicts: Int
    public var nodes: [AdminNodeReport]

    public init(hub: String, operations: Int, conflicts: Int, nodes: [AdminNodeReport]) {
        self.hub = hub
        self.operations = operations
        self.conflicts = conflicts
        self.nodes = nodes
    }
}

/// An admin token as `hub admin-token list` shows it (its hash never leaves the registry).
public struct AdminTokenRecord: Sendable, Hashable, Codable {
    public var name: String
    /// Unix milliseconds.
    public var createdAt: Int64
    /// Unix milliseconds; nil while the token is valid.
    public var revokedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case name
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}
