import LeadSyncCore

/// One finished sync session of a node, as the hub's registry keeps it (the last
/// ``SessionRecord/historyLimit`` per node) for the admin page and API.
public struct SessionRecord: Sendable, Hashable, Codable {
    /// Sessions kept per node; older ones are dropped as new ones end.
    public static let historyLimit = 50

    public var node: String
    public var address: String?
    /// Unix milliseconds.
    public var startedAt: Int64
    /// Unix milliseconds.
    public var endedAt: Int64
    /// Operations the node pushed that were new to the hub.
    public var pushed: Int
    /// Operations the hub sent the node.
    public var pulled: Int
    /// `ok` when the session reached `done`; else the error code sent (`seq_gap`, `shutting_down`…)
    /// or `disconnected` when the connection ended without one.
    public var outcome: String
    /// The error message, when the session did not end with `done`.
    public var error: String?
    /// Operations the node held that the hub lacked when the session ended (from its `hello` clock
    /// and the hub's clock after the session's pushes). Not kept in the history (nor its JSON).
    public var waitingOperations: UInt64 = 0

    public init(
        node: String, address: String?, startedAt: Int64, endedAt: Int64, pushed: Int, pulled: Int, outcome: String,
        error: String?, waitingOperations: UInt64
    ) {
        self.node = node
        self.address = address
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.pushed = pushed
        self.pulled = pulled
        self.outcome = outcome
        self.error = error
        self.waitingOperations = waitingOperations
    }

    public var durationMillis: Int64 { max(0, endedAt - startedAt) }

    /// Outcomes are a closed set of words, so they can label metrics.
    public static let outcomeOK = "ok"
    public static let outcomeDisconnected = "disconnected"

    enum CodingKeys: String, CodingKey {
        case node, address, pushed, pulled, outcome, error
        case startedAt = "started_at"
        case endedAt = "ended_at"
    }
}
