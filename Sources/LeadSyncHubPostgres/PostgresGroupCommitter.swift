import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import PostgresNIO

/// Commits the batches that concurrent sessions of this process push while earlier commits run
/// in groups of one transaction each: one round of locks, of multi-row statements and one commit
/// per group. Up to ``concurrentGroups`` groups commit at once; their transactions lock what they
/// touch (see ``PostgresOpLog``) as any two processes' do. Each batch still stands or falls alone
/// (a refused batch leaves no row), and a session hears back only after the commit, so an `ack`
/// means committed.
actor PostgresGroupCommitter {
    private struct Request {
        let batch: IncomingBatch
        let continuation: CheckedContinuation<Result<ApplyResult, ProtocolError>, Never>
    }

    private let database: PostgresHubDatabase
    private var pending: [Request] = []
    private var inFlight = 0
    /// Groups committing at once: while one waits for the database, the next is loaded and
    /// applied, so the process's CPU and the database's work overlap.
    static let concurrentGroups = 2
    /// A group stops taking batches once it holds this many operations: many sessions pushing at
    /// once then make several groups whose commits overlap, not one large commit that runs alone.
    static let groupOps = 5_000

    init(database: PostgresHubDatabase) {
        self.database = database
    }

    func apply(_ batch: IncomingBatch) async -> Result<ApplyResult, ProtocolError> {
        await withCheckedContinuation { continuation in
            pending.append(Request(batch: batch, continuation: continuation))
            if inFlight < Self.concurrentGroups {
                inFlight += 1
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            var taken = 0
            var ops = 0
            for request in pending {
                taken += 1
                ops += request.batch.ops.count
                if ops >= Self.groupOps { break }
            }
            let group = Array(pending.prefix(taken))
            pending.removeFirst(taken)
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
        inFlight -= 1
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
