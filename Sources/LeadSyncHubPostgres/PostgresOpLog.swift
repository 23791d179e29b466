import LeadSyncCore
import LeadSyncProtocol
import LeadSyncStore
import Logging
import PostgresNIO

/// The op log in PostgreSQL: appends under one advisory lock, reads that never skip.
///
/// Why a pull never skips an operation: `op.pos` is not a sequence. Every apply transaction first
/// takes `pg_advisory_xact_lock(PostgresSchema.logLock)`, then reads the log's end and the actors'
/// clocks, and writes positions end+1, end+2, …; the lock is released only after its commit is
/// visible. So transactions assign positions and become visible in the same order, and every
/// snapshot sees a prefix 1…N of the log with no holes: "rows after position P" can never pass
/// over a row that commits later. Pulls also filter by the peer's vector clock (an operation is
/// sent when its seq is above the peer's entry for its origin), so even a cursor from another
/// process's log position only costs re-reading, never missing, operations.
enum PostgresOpLog {
    /// Delivery-checks and stores the batches in one transaction; one result per batch.
    static func commit(
        _ batches: [IncomingBatch], in database: PostgresHubDatabase
    ) async throws -> [Result<ApplyResult, ProtocolError>] {
        try await database.transaction { connection, logger in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.logLock))", logger: logger)
            var actors: [ActorID: DeliveredActor] = [:]
            for try await (id, seq, clock) in try await connection.query("SELECT id, seq, clock FROM actor", logger: logger)
                .decode((String, Int64, String).self)
            {
                let actor = try ActorID(validating: id)
                actors[actor] = DeliveredActor(seq: UInt64(seq), clock: try PostgresHubStore.decodeClock(clock))
            }
            var end: Int64 = 0
            for try await last in try await connection.query("SELECT coalesce(max(pos), 0) FROM op", logger: logger).decode(Int64.self) {
                end = last
            }
            var round = DeliveryRound(actors: actors, end: end)
            var results: [Result<ApplyResult, ProtocolError>] = []
            for batch in batches {
                results.append(round.offer(batch))
            }
            try await write(round, on: connection, logger: logger)
            return results
        }
    }

    private static func write(_ round: DeliveryRound, on connection: PostgresConnection, logger: Logger) async throws {
        guard !round.rows.isEmpty else { return }
        let rows = round.rows
        try await connection.query(
            """
            INSERT INTO op (pos, actor, seq, record, body)
            SELECT * FROM unnest(\(rows.map(\.pos))::bigint[], \(rows.map(\.actor))::text[], \(rows.map(\.seq))::bigint[],
                                 \(rows.map(\.record))::text[], \(rows.map(\.body))::text[])
            """, logger: logger)
        let changed = try round.changedActors.map { id, state in (id.rawValue, id.node.rawValue, Int64(state.seq), try PostgresHubStore.encodeClock(state.clock)) }
        try await connection.query(
            """
            INSERT INTO actor (id, node, seq, clock)
            SELECT * FROM unnest(\(changed.map(\.0))::text[], \(changed.map(\.1))::text[], \(changed.map(\.2))::bigint[], \(changed.map(\.3))::text[])
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, clock = excluded.clock
            """, logger: logger)
        let received = round.received.sorted { $0.key.rawValue < $1.key.rawValue }
        try await connection.query(
            """
            UPDATE node SET ops_received = node.ops_received + r.n
            FROM unnest(\(received.map(\.key.rawValue))::text[], \(received.map { Int64($0.value) })::bigint[]) AS r(name, n)
            WHERE node.name = r.name
            """, logger: logger)
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
