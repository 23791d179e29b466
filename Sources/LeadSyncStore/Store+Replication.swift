import Foundation
import GRDB
import LeadSyncCore
import LeadSyncReplication

/// Remote operations to apply as one unit, with the rule for which origins this peer may send.
public struct RemoteBatch {
    public let operations: [Op]
    /// Each operation's text as received, stored as its log body (peers forward operations
    /// byte-for-byte); without it the store encodes each operation again.
    public let bodies: [String]?
    public let accept: (ActorID) -> Bool

    public init(operations: [Op], bodies: [String]? = nil, accept: @escaping (ActorID) -> Bool = { _ in true }) {
        precondition(bodies == nil || bodies?.count == operations.count, "one body per operation")
        self.operations = operations
        self.bodies = bodies
        self.accept = accept
    }
}

extension Store {
    /// The store's vector clock: every actor's last contiguous seq.
    public func clock() throws(StoreError) -> VectorClock {
        try read { db in
            var clock = VectorClock()
            for row in try Row.fetchAll(db, sql: "SELECT id, seq FROM actor") {
                clock[try ActorID(validating: row["id"])] = UInt64(row["seq"] as Int64)
            }
            return clock
        }
    }

    /// Applies a batch of remote operations in one transaction, in the given (causal) order.
    /// Duplicates are skipped; a gap, a missing dependency or an op from an actor `accept` refuses
    /// aborts the whole batch, so nothing is ever half-applied. `bodies` as in ``RemoteBatch``.
    public func apply(
        _ operations: [Op], bodies: [String]? = nil, accept: @escaping (ActorID) -> Bool = { _ in true }
    ) throws(StoreError) -> ApplyResult {
        try apply(batches: [RemoteBatch(operations: operations, bodies: bodies, accept: accept)])[0].get()
    }

    /// Applies several batches (from concurrent sessions) in ONE transaction, so they share one
    /// commit and one fsync. Each batch stands or falls alone: a refused batch is rolled back and
    /// reported in its result; the others commit. A result is final only when this function
    /// returns, which is after the commit: acknowledge nothing before.
    ///
    /// Nearly every group is accepted whole, so it is first applied without savepoints; only
    /// when that fails is it applied again with a savepoint per batch. A savepoint journals every
    /// page its batch changes, and SQLite walks that in-memory journal from its start whenever a
    /// statement inside it ends: with batches of 2,500 operations over a large store's leads
    /// (bench-sync's size M) that walk and its allocations were a tenth of the apply time. A node
    /// whose batches are refused costs its groups the second pass, as much as before, no more.
    public func apply(batches: [RemoteBatch]) throws(StoreError) -> [Result<ApplyResult, StoreError>] {
        let group: AppliedGroup
        if let together = try? applyTogether(batches) {
            group = together
        } else {
            group = try applyEach(batches)
        }
        applyMemory.keep(group.memory)
        try finishErasure(group.erasures)
        return group.results
    }

    /// What one apply transaction leaves: a result per batch, how many leads it erased, and what
    /// the next transaction may reuse.
    private typealias AppliedGroup = (results: [Result<ApplyResult, StoreError>], erasures: Int, memory: ApplyMemory)

    /// The group in one transaction without savepoints; throws (keeping nothing) if any batch is refused.
    private func applyTogether(_ batches: [RemoteBatch]) throws(StoreError) -> AppliedGroup {
        try write { db in
            var context = try ApplyContext(db: db, now: now, memory: try applyMemory.take(for: db))
            var results: [Result<ApplyResult, StoreError>] = []
            for batch in batches {
                let before = context.applied
                let duplicates = try Self.apply(batch, in: &context)
                results.append(.success(ApplyResult(applied: context.applied - before, duplicates: duplicates, clock: context.clock)))
            }
            try context.flush()
            return (results, context.erasures, try context.memory())
        }
    }

    /// The group in one transaction, each batch in a savepoint of its own.
    private func applyEach(_ batches: [RemoteBatch]) throws(StoreError) -> AppliedGroup {
        try write { db in
            var context = try ApplyContext(db: db, now: now, memory: try applyMemory.take(for: db))
            var results: [Result<ApplyResult, StoreError>] = []
            for batch in batches {
                let before = try context.beginBatch()
                do {
                    var duplicates = 0
                    try db.inSavepoint {
                        duplicates = try Self.apply(batch, in: &context)
                        return .commit
                    }
                    results.append(.success(ApplyResult(
                        applied: context.applied - before.applied, duplicates: duplicates, clock: context.clock)))
                } catch {
                    // The savepoint is rolled back; forget what the batch did to the cached state too.
                    context.rollBack(to: before)
                    results.append(.failure(Self.storeError(from: error)))
                }
            }
            try context.flush()
            return (results, context.erasures, try context.memory())
        }
    }

    /// Applies the batch's operations in order; returns how many were duplicates.
    private static func apply(_ batch: RemoteBatch, in context: inout ApplyContext) throws -> Int {
        var duplicates = 0
        for (index, op) in batch.operations.enumerated() {
            try ReplicationRules.checkOrigin(of: op, accept: batch.accept)
            if try context.apply(op, body: batch.bodies?[index]) == .duplicate { duplicates += 1 }
        }
        return duplicates
    }

    /// Op-log entries a peer whose clock is `peer` lacks, in this store's apply order (which is
    /// causal), starting after log position `after`. Returns the wire JSON of each op and its position.
    public func operationBodies(
        missingFrom peer: VectorClock, after: Int64 = 0, limit: Int
    ) throws(StoreError) -> [(position: Int64, body: String)] {
        try read { db in
            var actorIDs: [Int64: (id: ActorID, seq: UInt64)] = [:]
            var start = Int64.max
            for row in try Row.fetchAll(db, sql: "SELECT pk, id, seq FROM actor") {
                let id = try ActorID(validating: row["id"])
                let seq = UInt64(row["seq"] as Int64)
                actorIDs[row["pk"]] = (id, seq)
                guard seq > peer[id] else { continue }
                let first = try Int64.fetchOne(
                    db, sql: "SELECT pos FROM op WHERE actor = ? AND seq = ?", arguments: [row["pk"], Int64(peer[id] + 1)])
                if let first { start = min(start, first) }
            }
            guard start != .max, after < .max else { return [] }
            var result: [(Int64, String)] = []
            // Read directly: a pull reads every operation of the log once, so GRDB's row objects
            // and by-name column lookups would cost more than SQLite's reading. One lower bound:
            // given two (`pos >= ? AND pos > ?`), SQLite seeks to the first and filters by the
            // second, so every page of a pull scanned the log from its start again.
            let rows = try DirectStatement(db, "SELECT pos, actor, seq, body FROM op WHERE pos >= ? ORDER BY pos")
            try rows.forEachRow(.int(max(start, after + 1))) {
                guard result.count < limit else { return false }
                if let actor = actorIDs[rows.int64(1)], UInt64(rows.int64(2)) > peer[actor.id] {
                    result.append((rows.int64(0), rows.text(3)))
                }
                return true
            }
            return result
        }
    }

    /// The operations a peer lacks, decoded; for in-process replication and tests.
    public func operations(missingFrom peer: VectorClock, limit: Int = .max) throws(StoreError) -> [Op] {
        let decoder = JSONDecoder()
        return try mapErrors {
            try operationBodies(missingFrom: peer, limit: limit).map {
                try decoder.decode(Op.self, from: Data($0.body.utf8))
            }
        }
    }

    /// The whole op log in apply order, as (origin, seq) pairs; lets tests compare logs.
    public func operationLog() throws(StoreError) -> [(origin: ActorID, seq: UInt64)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT actor.id AS origin, op.seq FROM op JOIN actor ON actor.pk = op.actor ORDER BY op.pos")
                .map { (try ActorID(validating: $0["origin"]), UInt64($0["seq"] as Int64)) }
        }
    }
}
