import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication

/// What one authenticated session did, gathered as it runs and kept by the hub's session history.
struct SessionReport {
    let node: NodeID
    let address: String?
    let startedAt: Int64
    /// The clock the node announced in its `hello`: what it held.
    let helloClock: VectorClock
    /// The hub's clock, as of the last batch this session committed.
    private(set) var hubClock: VectorClock
    private(set) var pushed = 0
    var pulled = 0
    /// The `error` the hub ended the session with, if any.
    var error: ProtocolError?

    init(node: NodeID, address: String?, startedAt: Int64, helloClock: VectorClock, hubClock: VectorClock) {
        self.node = node
        self.address = address
        self.startedAt = startedAt
        self.helloClock = helloClock
        self.hubClock = hubClock
    }

    mutating func applied(_ result: ApplyResult) {
        pushed += result.applied
        hubClock = result.clock
    }

    /// Operations the node held at `hello` that the hub still lacks: what `leadsync status` on the
    /// node counts as unsynced, as long as it wrote nothing since.
    var waitingOperations: UInt64 { NodeStatus.lag(hub: helloClock, acknowledged: hubClock) }

    func record(ended: Int64, succeeded: Bool) -> SessionRecord {
        SessionRecord(
            node: node.rawValue, address: address, startedAt: startedAt, endedAt: ended, pushed: pushed, pulled: pulled,
            outcome: succeeded ? SessionRecord.outcomeOK : (error?.code.rawValue ?? SessionRecord.outcomeDisconnected),
            error: succeeded ? nil : (error?.description ?? "the connection ended before the session finished"),
            waitingOperations: waitingOperations)
    }
}
