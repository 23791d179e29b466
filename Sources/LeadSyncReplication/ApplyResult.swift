import LeadSyncCore

/// What a batch of remote operations did, in any backend: what a hub's `ack` reports.
public struct ApplyResult: Sendable, Hashable {
    public var applied: Int
    public var duplicates: Int
    /// The receiver's clock after the batch committed: what an `ack` reports.
    public var clock: VectorClock

    public init(applied: Int, duplicates: Int, clock: VectorClock) {
        self.applied = applied
        self.duplicates = duplicates
        self.clock = clock
    }
}
