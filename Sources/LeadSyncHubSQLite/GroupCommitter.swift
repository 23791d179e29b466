import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import LeadSyncStore
import NIOPosix

/// Commits batches pushed by concurrent sessions together: the batches waiting while the previous
/// commit runs go into one transaction, so fifty reps pushing at once cost one fsync per round,
/// not one per batch. Each batch still succeeds or fails on its own (a savepoint), and a session
/// hears back only after the shared commit, so an `ack` still means "on disk".
actor GroupCommitter {
    private struct Request {
        let ops: [Op]
        let bodies: [String]
        let node: NodeID
        let continuation: CheckedContinuation<Result<ApplyResult, StoreError>, Never>
    }

    private let store: Store
    private let registry: NodeRegistry
    private let threadPool: NIOThreadPool
    private var pending: [Request] = []
    private var draining = false
    private var checkpointing = false
    /// Operations committed since the last checkpoint began.
    private var uncheckpointed = 0
    /// How many committed operations make a checkpoint worth starting: copying after every group
    /// copies the pages a busy hub rewrites again and again; after 25,000 (about 15 MB of WAL at
    /// typical sizes) each page is copied once for many writes. While more batches wait, the
    /// checkpoint waits too, up to ``busyCheckpointFactor`` intervals: on two cores it would take
    /// a core from the writer and the sessions in the middle of a rush.
    private let checkpointInterval: Int
    private static let busyCheckpointFactor = 4

    init(store: Store, registry: NodeRegistry, threadPool: NIOThreadPool, checkpointInterval: Int = 25_000) {
        self.store = store
        self.registry = registry
        self.threadPool = threadPool
        self.checkpointInterval = checkpointInterval
    }

    /// Applies `ops` (with their `Op.json` bodies) from `node` in the next group commit and counts
    /// them in the node's statistics.
    func apply(_ ops: [Op], bodies: [String], from node: NodeID) async -> Result<ApplyResult, StoreError> {
        await withCheckedContinuation { continuation in
            pending.append(Request(ops: ops, bodies: bodies, node: node, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let group = pending
            pending = []
            let batches = group.map { (ops: $0.ops, bodies: $0.bodies, node: $0.node) }
            let results: [Result<ApplyResult, StoreError>]
            do {
                results = try await threadPool.runIfActive { [store, registry] in
                    let results = try store.apply(batches: batches.map { batch in
                        RemoteBatch(operations: batch.ops, bodies: batch.bodies, accept: ReplicationRules.pushedBy(batch.node))
                    })
                    var received: [NodeID: Int] = [:]
                    for (batch, result) in zip(batches, results) {
                        if case .success(let applied) = result { received[batch.node, default: 0] += applied.applied }
                    }
                    // Statistics are best effort: a failure to count never fails the sessions.
                    try? registry.recordOpsReceived(received)
                    return results
                }
            } catch {
                let failure = (error as? StoreError) ?? .database("\(error)")
                results = Array(repeating: .failure(failure), count: group.count)
            }
            for (request, result) in zip(group, results) {
                request.continuation.resume(returning: result)
                if case .success(let applied) = result { uncheckpointed += applied.applied }
            }
            if uncheckpointed >= checkpointInterval * (pending.isEmpty ? 1 : Self.busyCheckpointFactor) {
                checkpointSoon()
            }
        }
        draining = false
    }

    /// Copies the WAL into the main file on another pool thread while the next group applies; at
    /// most one checkpoint runs at a time. (The store is opened without automatic checkpoints,
    /// which would make the writer copy after every large commit.)
    private func checkpointSoon() {
        guard !checkpointing else { return }
        checkpointing = true
        uncheckpointed = 0
        Task {
            // A failed checkpoint loses nothing: the WAL keeps the pages and the next one copies them.
            _ = try? await threadPool.runIfActive { [store] in try store.passiveCheckpoint() }
            checkpointing = false
        }
    }
}
