import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import PostgresNIO

/// One group commit's batches, applied by the shared replication rules (``Replicator``) to the
/// rows the batches touch: every actor, and the lead row and all registers of every record the
/// operations name. The batches are applied one after another on one ``MemoryReplicationState``;
/// only when one is refused are they applied again, each on a copy that is kept only if the batch
/// is accepted, so a refused batch leaves nothing and the common round copies the loaded rows
/// once, not once per batch. What the rules changed is then written back in a few multi-row
/// statements, in the same transaction: the state rows first (``writeState(on:logger:)``, under
/// the touched rows' locks only), the log rows last (``appendLog(on:logger:)``, under the log
/// lock). No rule is decided here.
struct ReplicationRound {
    /// The rows as loaded.
    private let loaded: MemoryReplicationState
    /// What the accepted batches changed, their log entries in apply order, and the rows after them.
    private var state: MemoryReplicationState
    private var changes = MemoryReplicationState.Changes()
    private var entries: [MemoryReplicationState.LogEntry] = []
    private(set) var received: [NodeID: Int] = [:]

    private init(loaded: MemoryReplicationState) {
        self.loaded = loaded
        state = loaded
    }

    /// The actors whose progress and the records whose rows `batches` may change (merge targets
    /// included, whose presence the rules read): what ``PostgresOpLog`` locks before loading.
    static func touched(by batches: [IncomingBatch]) -> (actors: Set<String>, records: Set<String>) {
        var actors: Set<String> = []
        var records: Set<String> = []
        for batch in batches {
            for op in batch.ops {
                actors.insert(op.origin.rawValue)
                records.insert(op.record.rawValue)
                if let target = ReplicationRules.mergeTarget(of: op) { records.insert(target.rawValue) }
            }
        }
        return (actors, records)
    }

    /// Loads the rows of `records` and `actors` (``touched(by:)``'s, whose locks the caller holds).
    /// The other actors are read unlocked, and only their seq (what a dependency on them is
    /// checked against): it only grows, and a dependency a replica names was pulled from this hub,
    /// so committed before this round began. Their clocks, which only an operation of theirs
    /// would extend, are left out: decoding every actor's clock in every round cost a tenth of the
    /// hub's work.
    static func load(
        records: Set<String>, actors touchedActors: Set<String>, on connection: PostgresConnection, logger: Logger
    ) async throws -> ReplicationRound {
        var actors: [ActorID: MemoryReplicationState.ActorProgress] = [:]
        for try await (id, seq, clock) in try await connection.query(
            "SELECT id, seq, CASE WHEN id = ANY(\(Array(touchedActors))::text[]) THEN clock END FROM actor", logger: logger
        ).decode((String, Int64, String?).self) {
            actors[try ActorID(validating: id)] = MemoryReplicationState.ActorProgress(
                seq: UInt64(seq), clock: try clock.map(PostgresHubStore.decodeClock) ?? VectorClock())
        }
        var state = MemoryReplicationState(actors: actors)
        let records = Array(records)
        for try await (record, erased, createdBy, createdHLC, updatedHLC) in try await connection.query(
            "SELECT record, erased, created_by, created_hlc, updated_hlc FROM lead WHERE record = ANY(\(records)::text[])",
            logger: logger
        ).decode((String, Bool, String?, Int64?, Int64).self) {
            state.load(lead: try RecordID(validating: record), MemoryReplicationState.LeadRow(
                presence: erased ? .erased : .live, createdBy: try createdBy.flatMap { $0.isEmpty ? nil : try ActorID(validating: $0) },
                createdHLC: createdHLC.map(HLC.init(packed:)), updatedHLC: HLC(packed: updatedHLC)))
        }
        for try await (record, registers) in try await connection.query(
            "SELECT record, registers FROM register_set WHERE record = ANY(\(records)::text[])", logger: logger
        ).decode((String, String).self) {
            state.load(registers: try RegisterVersionsText.decodeRegisters(registers), of: try RecordID(validating: record))
        }
        return ReplicationRound(loaded: state)
    }

    /// Applies each batch whole, or refuses it whole and keeps nothing of it; one result per batch.
    mutating func offer(_ batches: [IncomingBatch]) -> [Result<ApplyResult, ProtocolError>] {
        var results: [Result<ApplyResult, ProtocolError>] = []
        for batch in batches {
            let result = Self.apply(batch, to: &state)
            guard case .success(let applied) = result else { break }
            results.append(result)
            received[batch.node, default: 0] += applied.applied
        }
        if results.count < batches.count {
            state = loaded
            results = []
            received = [:]
            for batch in batches {
                var trial = state
                let result = Self.apply(batch, to: &trial)
                if case .success(let applied) = result {
                    state = trial
                    received[batch.node, default: 0] += applied.applied
                }
                results.append(result)
            }
        }
        entries = Array(state.appendedEntries)
        changes = state.takeChanges()
        return results
    }

    private static func apply(_ batch: IncomingBatch, to state: inout MemoryReplicationState) -> Result<ApplyResult, ProtocolError> {
        var applied = 0
        var duplicates = 0
        do {
            if !batch.authoredByHub { try ReplicationRules.checkPush(batch.ops) }
            let accept = ReplicationRules.pushedBy(batch.node)
            for (op, body) in zip(batch.ops, batch.bodies) {
                try ReplicationRules.checkOrigin(of: op, accept: accept)
                if try Replicator.apply(op, body: body, to: &state) == .next { applied += 1 } else { duplicates += 1 }
            }
        } catch let error as ReplicationError {
            return .failure(error.protocolError)
        } catch {
            return .failure(ProtocolError(.internal, "the hub could not store the batch; retry later"))
        }
        var clock = VectorClock()
        for (id, progress) in state.actors { clock[id] = progress.seq }
        return .success(ApplyResult(applied: applied, duplicates: duplicates, clock: clock))
    }

    /// Writes back the rows the rules changed, except the log's: actors, leads, register sets and
    /// the erased leads' logged operations (redacted). Only this round writes them meanwhile: it
    /// holds the locks of the actors and leads.
    func writeState(on connection: PostgresConnection, logger: Logger) async throws {
        let actors = try changes.actors.sorted { $0.rawValue < $1.rawValue }.compactMap { id in
            try state.actors[id].map { (id.rawValue, id.node.rawValue, Int64($0.seq), try PostgresHubStore.encodeClock($0.clock)) }
        }
        if !actors.isEmpty {
            try await connection.query(
                """
                INSERT INTO actor (id, node, seq, clock)
                SELECT * FROM unnest(\(actors.map(\.0))::text[], \(actors.map(\.1))::text[], \(actors.map(\.2))::bigint[], \(actors.map(\.3))::text[])
                ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, clock = excluded.clock
                """, logger: logger)
        }
        let leads = changes.leads.compactMap { record in state.leads[record].map { (record, $0) } }
        if !leads.isEmpty {
            try await connection.query(
                """
                INSERT INTO lead (record, erased, created_by, created_hlc, updated_hlc)
                SELECT * FROM unnest(\(leads.map(\.0.rawValue))::text[], \(leads.map { $0.1.presence == .erased })::boolean[],
                                     \(leads.map { $0.1.createdBy?.rawValue ?? "" })::text[],
                                     \(leads.map { $0.1.createdHLC?.packed ?? 0 })::bigint[], \(leads.map(\.1.updatedHLC.packed))::bigint[])
                ON CONFLICT (record) DO UPDATE SET erased = excluded.erased, updated_hlc = excluded.updated_hlc
                """, logger: logger)
        }
        try await writeRegisterSets(on: connection, logger: logger)
        let erased = changes.erased.map(\.rawValue)
        if !erased.isEmpty { try await redact(erased, on: connection, logger: logger) }
    }

    /// Appends the round's log rows at the log's end and counts what each node sent, in one call
    /// that takes the log lock first (`append_op_log`, see ``PostgresSchema``), so the end it
    /// reads is the end every earlier holder committed. The lock is taken in the database: the hub
    /// encodes the rows before it holds the lock. A round of duplicates only appends nothing,
    /// counts nothing and takes no lock.
    func appendLog(on connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        let received = self.received.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
        let append: PostgresQuery = """
            SELECT append_op_log(\(entries.map(\.op.origin.rawValue))::text[], \(entries.map { Int64($0.op.seq) })::bigint[],
                                 \(entries.map(\.op.record.rawValue))::text[], \(entries.map(\.body))::text[],
                                 \(received.map(\.key.rawValue))::text[], \(received.map { Int64($0.value) })::bigint[])
            """
        try await connection.query(append, logger: logger)
    }

    /// Rewrites the register set of every record whose registers changed (or were all dropped by
    /// an erasure: its row goes).
    private func writeRegisterSets(on connection: PostgresConnection, logger: Logger) async throws {
        var records: [String] = []
        var texts: [String] = []
        var conflicts: [Bool] = []
        var gone: [String] = []
        for record in changes.registers.union(changes.erased) {
            guard let registers = state.registers[record], registers.values.contains(where: { !$0.versions.isEmpty }) else {
                gone.append(record.rawValue)
                continue
            }
            records.append(record.rawValue)
            texts.append(RegisterVersionsText.encode(registers: registers))
            // A conflict is a lead field's (as every store reports them), not a merge pointer's.
            conflicts.append(registers.contains { key, register in
                guard case .field = key else { return false }
                return !register.conflicts(key.policy).isEmpty
            })
        }
        if !records.isEmpty {
            try await connection.query(
                """
                INSERT INTO register_set (record, registers, conflict)
                SELECT * FROM unnest(\(records)::text[], \(texts)::text[], \(conflicts)::boolean[])
                ON CONFLICT (record) DO UPDATE SET registers = excluded.registers, conflict = excluded.conflict
                """, logger: logger)
        }
        if !gone.isEmpty {
            try await connection.query("DELETE FROM register_set WHERE record = ANY(\(gone)::text[])", logger: logger)
        }
    }

    /// Rewrites every logged operation of the erased leads that the rules redact.
    private func redact(_ records: [String], on connection: PostgresConnection, logger: Logger) async throws {
        let decoder = JSONDecoder()
        var positions: [Int64] = []
        var bodies: [String] = []
        for try await (pos, body) in try await connection.query(
            "SELECT pos, body FROM op WHERE record = ANY(\(records)::text[])", logger: logger
        ).decode((Int64, String).self) {
            let op = try decoder.decode(Op.self, from: Data(body.utf8))
            guard ReplicationRules.redactsOnErasure(op) else { continue }
            positions.append(pos)
            bodies.append(op.redacted.json)
        }
        guard !positions.isEmpty else { return }
        try await connection.query(
            """
            UPDATE op SET body = r.body FROM unnest(\(positions)::bigint[], \(bodies)::text[]) AS r(pos, body)
            WHERE op.pos = r.pos
            """, logger: logger)
    }
}
