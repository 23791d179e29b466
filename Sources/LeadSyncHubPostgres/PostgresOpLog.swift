import LeadSyncCore
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import PostgresNIO

/// The op log in PostgreSQL: appends under one advisory lock, reads that never skip.
///
/// Why a pull never skips an operation: `op.pos` is not a sequence. Every apply transaction
/// takes `pg_advisory_xact_lock(PostgresSchema.logLock)` before it writes log rows, then reads the
/// log's end and writes positions end+1, end+2, … (`append_op_log`, a VOLATILE function whose
/// insert takes its snapshot after the lock, so it holds every earlier holder's commit); the lock
/// is released only after its commit is visible. So transactions assign positions and become
/// visible in the same order, and every snapshot sees a prefix 1…N of the log with no holes:
/// "rows after position P" can never pass over a row that commits later. Pulls also filter by
/// the peer's vector clock (an operation is sent when its seq is above the peer's entry for its
/// origin), so even a cursor from another process's log position only costs re-reading, never
/// missing, operations.
///
/// The log lock is held only for that last step. Before it, a transaction locks what its batches
/// touch (``PostgresSchema/actorLock`` per origin, ``PostgresSchema/recordLock`` per lead, taken in
/// one statement in key order, so two transactions never wait on each other in a cycle), loads those
/// rows, lets the shared rules decide, and writes actors, leads and registers: transactions of
/// different processes over different leads and reps do all that at once. Holding the origin's lock
/// from load to commit keeps pushes idempotent under concurrency (a second transaction with the
/// same `(origin, seq)` reads the first one's committed seq and counts a duplicate), and the
/// lead's lock keeps two merges into one register from overwriting each other.
enum PostgresOpLog {
    /// Applies the batches by the shared replication rules and stores what they changed, in one
    /// transaction; one result per batch.
    static func commit(
        _ batches: [IncomingBatch], in database: PostgresHubDatabase
    ) async throws -> [Result<ApplyResult, ProtocolError>] {
        let touched = ReplicationRound.touched(by: batches)
        return try await database.transaction { connection, logger in
            try await connection.query(
                """
                SELECT count(pg_advisory_xact_lock(k.space, k.key)) FROM (
                    SELECT DISTINCT space, key FROM (
                        SELECT \(PostgresSchema.actorLock)::integer AS space, hashtext(a) AS key FROM unnest(\(Array(touched.actors))::text[]) a
                        UNION ALL
                        SELECT \(PostgresSchema.recordLock)::integer, hashtext(r) FROM unnest(\(Array(touched.records))::text[]) r
                    ) keys ORDER BY space, key
                ) k
                """, logger: logger)
            var round = try await ReplicationRound.load(records: touched.records, actors: touched.actors, on: connection, logger: logger)
            let results = round.offer(batches)
            try await round.writeState(on: connection, logger: logger)
            try await round.appendLog(on: connection, logger: logger)
            return results
        }
    }

    /// The hub's clock: every actor's last contiguous seq.
    static func clock(in database: PostgresHubDatabase) async throws -> VectorClock {
        let rows = try await database.connection { connection, logger in
            var rows: [(String, Int64)] = []
            for try await row in try await connection.query("SELECT id, seq FROM actor", logger: logger).decode((String, Int64).self) {
                rows.append(row)
            }
            return rows.map { ActorSeq(id: $0.0, seq: $0.1) }
        }
        var clock = VectorClock()
        for row in rows { clock[try ActorID(validating: row.id)] = UInt64(row.seq) }
        return clock
    }

    /// A page of the log a peer with clock `peer` lacks, in log order, after position `after`;
    /// one statement, so one snapshot (a prefix of the log, see above).
    static func page(
        missingFrom peer: VectorClock, after: Int64, limit: Int, in database: PostgresHubDatabase
    ) async throws -> [(position: Int64, body: String)] {
        let ids = peer.entries.keys.map(\.rawValue)
        let seqs = peer.entries.keys.map { Int64(clamping: peer[$0]) }
        let limit = Int64(limit)
        let entries = try await database.connection { connection, logger in
            var entries: [LogEntry] = []
            for try await (pos, body) in try await connection.query(
                """
                WITH peer (id, seq) AS (SELECT * FROM unnest(\(ids)::text[], \(seqs)::bigint[])),
                start AS (
                    SELECT min(o.pos) AS pos FROM actor a
                    LEFT JOIN peer p ON p.id = a.id
                    JOIN op o ON o.actor = a.id AND o.seq = coalesce(p.seq, 0) + 1
                    WHERE a.seq > coalesce(p.seq, 0))
                SELECT o.pos, o.body FROM op o LEFT JOIN peer p ON p.id = o.actor
                WHERE o.pos >= (SELECT pos FROM start) AND o.pos > \(after) AND o.seq > coalesce(p.seq, 0)
                ORDER BY o.pos LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, String).self) {
                entries.append(LogEntry(position: pos, body: body))
            }
            return entries
        }
        return entries.map { ($0.position, $0.body) }
    }
}

struct ActorSeq: Sendable {
    let id: String
    let seq: Int64
}

struct LogEntry: Sendable {
    let position: Int64
    let body: String
}
