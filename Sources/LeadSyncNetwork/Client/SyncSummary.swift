import LeadSyncCore

/// What a finished sync did; `leadsync sync --json` prints it.
public struct SyncSummary: Sendable, Hashable, Codable {
    public var hub: String
    public var node: String
    /// Operations pushed and acknowledged by the hub.
    public var sent: Int
    /// Operations pulled that were new here.
    public var received: Int
    /// Open conflicts on this replica after the sync.
    public var conflicts: Int
    public var durationMillis: Int64
    /// Hub wall clock minus this machine's, milliseconds.
    public var skewMillis: Int64

    enum CodingKeys: String, CodingKey {
        case hub, node, sent, received, conflicts
        case durationMillis = "duration_ms"
        case skewMillis = "skew_ms"
    }

    /// Skew beyond which the client warns: causal order never depends on wall time, but ties between
    /// truly concurrent edits do.
    public static let skewWarningMillis: Int64 = 5 * 60 * 1000

    public var skewIsLarge: Bool { abs(skewMillis) > Self.skewWarningMillis }
}

/// Progress of a running sync, reported after each batch.
public struct SyncProgress: Sendable, Hashable {
    public enum Phase: String, Sendable {
        case connected, pushing, pulling, finished
    }

    public var phase: Phase
    public var sent: Int
    public var received: Int
}
