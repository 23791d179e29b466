import LeadSyncCore

/// The hub's report: totals and one row per registered node.
public struct HubStatus: Sendable, Hashable, Codable {
    public var hub: String
    public var operations: Int
    public var leads: Int
    public var conflicts: Int
    public var clock: VectorClock
    public var nodes: [NodeStatus]

    public init(hub: String, operations: Int, leads: Int, conflicts: Int, clock: VectorClock, nodes: [NodeStatus]) {
        self.hub = hub
        self.operations = operations
        self.leads = leads
        self.conflicts = conflicts
        self.clock = clock
        self.nodes = nodes
    }
}

/// One node's line in `hub status`.
public struct NodeStatus: Sendable, Hashable, Codable {
    public var node: String
    public var revoked: Bool
    /// End of the last successful sync, Unix milliseconds.
    public var lastSyncAt: Int64?
    public var lastAddress: String?
    public var opsReceived: Int64
    /// Operations the hub has that the node has not acknowledged.
    public var lag: UInt64
    /// Open conflicts on the hub in which one of the node's writes takes part.
    public var conflicts: Int
    public var connected: Bool
    /// Node wall clock minus hub wall clock at the node's last `hello`, milliseconds.
    public var skewMillis: Int64?

    enum CodingKeys: String, CodingKey {
        case node, revoked, lag, conflicts, connected
        case lastSyncAt = "last_sync_at"
        case lastAddress = "last_address"
        case opsReceived = "ops_received"
        case skewMillis = "skew_ms"
    }

    /// Every documented key, with null for what a node that never synced lacks (Docs/cli-json.md).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node, forKey: .node)
        try container.encode(revoked, forKey: .revoked)
        try container.encode(lastSyncAt, forKey: .lastSyncAt)
        try container.encode(lastAddress, forKey: .lastAddress)
        try container.encode(opsReceived, forKey: .opsReceived)
        try container.encode(lag, forKey: .lag)
        try container.encode(conflicts, forKey: .conflicts)
        try container.encode(connected, forKey: .connected)
        try container.encode(skewMillis, forKey: .skewMillis)
    }

    public init(record: NodeRecord, hubClock: VectorClock, conflicts: Int) {
        node = record.node.rawValue
        revoked = record.revoked
        lastSyncAt = record.lastSyncAt
        lastAddress = record.lastAddress
        opsReceived = record.opsReceived
        lag = Self.lag(hub: hubClock, acknowledged: record.acknowledgedClock)
        self.conflicts = conflicts
        connected = record.connected > 0
        skewMillis = record.skewMillis
    }

    /// Operations in `hub` not covered by `acknowledged`: per actor, the seqs beyond what the node has.
    public static func lag(hub: VectorClock, acknowledged: VectorClock) -> UInt64 {
        hub.entries.reduce(0) { total, entry in
            total + (entry.value > acknowledged[entry.key] ? entry.value - acknowledged[entry.key] : 0)
        }
    }
}
