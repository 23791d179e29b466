import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import PostgresNIO

/// Commits the batches that concurrent sessions of this process push while the previous commit
/// runs in ONE transaction: one round of locks, of multi-row statements and one commit per group.
/// Each batch still stands or falls alone (a refused batch leaves no row), and a session hears
/// back only after the commit, so an `ack` means committed.
actor PostgresGroupCommitter {
    private struct Request {
        let batch: IncomingBatch
        let continuation: CheckedContinuation<Result<ApplyResult, ProtocolError>, Never>
    }

    private let database: PostgresHubDatabase
    private var pending: [Request] = []
    private var draining = false

    init(database: PostgresHubDatabase) {
        self.database = database
    }

    func apply(_ batch: IncomingBatch) async -> Result<ApplyResult, ProtocolError> {
        await withCheckedContinuation { continuation in
            pending.append(Request(batch: batch, continuation: continuation))
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
            let results: [Result<ApplyResult, ProtocolError>]
            do {
                results = try await PostgresOpLog.commit(group.map(\.batch), in: database)
            } catch {
                database.logger.error("cannot commit pushed operations: \(error)")
                let failure = ProtocolError(.internal, "the hub could not store the batch; retry later")
                results = Array(repeating: .failure(failure), count: group.count)
            }
            for (request, result) in zip(group, results) {
                request.continuation.resume(returning: result)
            }
        }
        draining = false
    }
}

/// One session's pushed batch: its operations, their bodies as received, and the pushing node;
/// or, `authoredByHub`, an operation the hub itself writes (a replicated setting).
struct IncomingBatch: Sendable {
    let ops: [Op]
    let bodies: [String]
    let node: NodeID
    var authoredByHub = false
}
