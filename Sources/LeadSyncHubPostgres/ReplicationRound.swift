import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import PostgresNIO

/// One group commit's batches, applied by the shared replication rules (``Replicator``) to the
/// rows the batches touch: every actor, and the leads and registers the operations name. Each
/// batch runs on a ``MemoryReplicationState`` of its own, loaded from the round's rows for the
/// records it names; only an accepted batch's changes are taken into the round (so a refused one
/// costs nothing, and no batch copies the whole round). What the rules changed is then written
/// back in a few multi-row statements, in the same transaction: the state rows first
/// (``writeState(on:logger:)``, under the touched rows' locks only), the log rows last
/// (``appendLog(on:logger:)``, under the log lock). No rule is decided here.
struct ReplicationRound {
    /// The rows as the round stands: as loaded, with every accepted batch's changes.
    private var actors: [ActorID: MemoryReplicationState.ActorProgress]
    private var leads: [RecordID: MemoryReplicationState.LeadRow] = [:]
    private var registers: [RecordID: [RegisterKey: Register]] = [:]
    private(set) var received: [NodeID: Int] = [:]
    /// What the accepted batches changed: log entries in apply order, and the rows to write.
    private var entries: [MemoryReplicationState.LogEntry] = []
    private var changes = Changed()

    /// The rows the accepted batches changed.
    private struct Changed {
        var actors: Set<ActorID> = []
        var leads: Set<RecordID> = []
        var registers: Set<MemoryReplicationState.RegisterRef> = []
        var erased: Set<RecordID> = []
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

    /// Loads what `batches` touch; the caller holds the locks of ``touched(by:)``. Actors the
    /// batches do not advance are read unlocked: their seq only grows, and a dependency a replica
    /// names was pulled from this hub, so committed before this round began.
    static func load(
        for batches: [IncomingBatch], on connection: PostgresConnection, logger: Logger
    ) async throws -> ReplicationRound {
        var round = ReplicationRound(actors: [:])
        for try await (id, seq, clock) in try await connection.query("SELECT id, seq, clock FROM actor", logger: logger)
            .decode((String, Int64, String).self)
        {
            round.actors[try ActorID(validating: id)] = MemoryReplicationState.ActorProgress(
                seq: UInt64(seq), clock: try PostgresHubStore.decodeClock(clock))
        }
        var records: Set<RecordID> = []
        var keys: [String: (RecordID, RegisterKey)] = [:]
        for batch in batches {
            for op in batch.ops {
                records.insert(op.record)
                if let target = ReplicationRules.mergeTarget(of: op) { records.insert(target) }
                for write in op.change.writes { keys["\(op.record.rawValue)\u{1}\(write.key.rawValue)"] = (op.record, write.key) }
            }
        }
        let recordIDs = records.map(\.rawValue)
        for try await (record, erased, createdBy, createdHLC, updatedHLC) in try await connection.query(
            "SELECT record, erased, created_by, created_hlc, updated_hlc FROM lead WHERE record = ANY(\(recordIDs)::text[])",
            logger: logger
        ).decode((String, Bool, String?, Int64?, Int64).self) {
            round.leads[try RecordID(validating: record)] = MemoryReplicationState.LeadRow(
                presence: erased ? .erased : .live, createdBy: try createdBy.flatMap { $0.isEmpty ? nil : try ActorID(validating: $0) },
                createdHLC: createdHLC.map(HLC.init(packed:)), updatedHLC: HLC(packed: updatedHLC))
        }
        let refs = Array(keys.values)
        for try await (record, key, versions) in try await connection.query(
            """
            SELECT r.record, r.key, r.versions FROM register r
            JOIN unnest(\(refs.map(\.0.rawValue))::text[], \(refs.map(\.1.rawValue))::text[]) AS w(record, key)
              ON r.record = w.record AND r.key = w.key
            """, logger: logger
        ).decode((String, String, String).self) {
            guard let (recordID, registerKey) = keys["\(record)\u{1}\(key)"] else { continue }
            round.registers[recordID, default: [:]][registerKey] = Register(versions: try RegisterVersionsText.decode(versions))
        }
        return round
    }

    /// Applies one session's batch whole, or refuses it whole and keeps nothing of it.
    mutating func offer(_ batch: IncomingBatch) -> Result<ApplyResult, ProtocolError> {
        var state = scratch(for: batch)
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
        take(&state)
        received[batch.node, default: 0] += applied
        return .success(ApplyResult(applied: applied, duplicates: duplicates, clock: clock))
    }

    var clock: VectorClock {
        var clock = VectorClock()
        for (id, progress) in actors { clock[id] = progress.seq }
        return clock
    }

    /// A state holding every actor and, of each record `batch` names (and of the settings), the
    /// lead row and every register the round holds: all the rules can read while applying it
    /// (an erasure drops all of a lead's registers, so all of them must be there).
    private func scratch(for batch: IncomingBatch) -> MemoryReplicationState {
        var state = MemoryReplicationState(actors: actors)
        var records: Set<RecordID> = [.settings]
        for op in batch.ops {
            records.insert(op.record)
            if let target = ReplicationRules.mergeTarget(of: op) { records.insert(target) }
        }
        for record in records {
            if let row = leads[record] { state.load(lead: record, row) }
            for (key, register) in registers[record] ?? [:] {
                state.load(register: key, of: record, versions: register.versions)
            }
        }
        return state
    }

    /// Takes an accepted batch's changes into the round.
    private mutating func take(_ state: inout MemoryReplicationState) {
        entries += state.appendedEntries
        let batch = state.takeChanges()
        for id in batch.actors { actors[id] = state.actors[id] }
        for record in batch.leads { leads[record] = state.leads[record] }
        for ref in batch.registers {
            registers[ref.record, default: [:]][ref.key] = state.registers[ref] ?? Register()
        }
        changes.actors.formUnion(batch.actors)
        changes.leads.formUnion(batch.leads)
        changes.registers.formUnion(batch.registers)
        changes.erased.formUnion(batch.erased)
    }

    /// Writes back the rows the rules changed, except the log's: actors, leads, registers. Only
    /// this round writes them meanwhile: it holds their locks.
    func writeState(on connection: PostgresConnection, logger: Logger) async throws {
        let actors = try changes.actors.sorted { $0.rawValue < $1.rawValue }.compactMap { id in
            try self.actors[id].map { (id.rawValue, id.node.rawValue, Int64($0.seq), try PostgresHubStore.encodeClock($0.clock)) }
        }
        if !actors.isEmpty {
            try await connection.query(
                """
                INSERT INTO actor (id, node, seq, clock)
                SELECT * FROM unnest(\(actors.map(\.0))::text[], \(actors.map(\.1))::text[], \(actors.map(\.2))::bigint[], \(actors.map(\.3))::text[])
                ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, clock = excluded.clock
                """, logger: logger)
        }
        let leads = changes.leads.compactMap { record in self.leads[record].map { (record, $0) } }
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
        let erased = changes.erased.map(\.rawValue)
        if !erased.isEmpty {
            try await connection.query("DELETE FROM register WHERE record = ANY(\(erased)::text[])", logger: logger)
        }
        try await writeRegisters(changes.registers, on: connection, logger: logger)
    }

    /// Appends the round's log rows at the log's end, redacts the erased leads' logged operations
    /// and counts what each node sent; the caller holds the log lock, so the end read here is the
    /// end every earlier holder committed.
    func appendLog(on connection: PostgresConnection, logger: Logger) async throws {
        if !entries.isEmpty {
            try await connection.query(
                """
                INSERT INTO op (pos, actor, seq, record, body)
                SELECT (SELECT coalesce(max(pos), 0) FROM op) + e.n, e.actor, e.seq, e.record, e.body
                FROM unnest(\(entries.map(\.op.origin.rawValue))::text[], \(entries.map { Int64($0.op.seq) })::bigint[],
                            \(entries.map(\.op.record.rawValue))::text[], \(entries.map(\.body))::text[])
                     WITH ORDINALITY AS e(actor, seq, record, body, n)
                """, logger: logger)
        }
        let erased = changes.erased.map(\.rawValue)
        if !erased.isEmpty { try await redact(erased, on: connection, logger: logger) }
        let received = self.received.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
        if !received.isEmpty {
            try await connection.query(
                """
                UPDATE node SET ops_received = node.ops_received + r.n
                FROM unnest(\(received.map(\.key.rawValue))::text[], \(received.map { Int64($0.value) })::bigint[]) AS r(name, n)
                WHERE node.name = r.name
                """, logger: logger)
        }
    }

    private func writeRegisters(
        _ refs: Set<MemoryReplicationState.RegisterRef>, on connection: PostgresConnection, logger: Logger
    ) async throws {
        var records: [String] = []
        var keys: [String] = []
        var versions: [String] = []
        var conflicts: [Bool] = []
        var gone: [(String, String)] = []
        for ref in refs {
            guard let register = registers[ref.record]?[ref.key], !register.versions.isEmpty else {
                gone.append((ref.record.rawValue, ref.key.rawValue))
                continue
            }
            records.append(ref.record.rawValue)
            keys.append(ref.key.rawValue)
            versions.append(RegisterVersionsText.encode(register.versions))
            // A conflict is a lead field's (as every store reports them), not a merge pointer's.
            guard case .field = ref.key else {
                conflicts.append(false)
                continue
            }
            conflicts.append(!register.conflicts(ref.key.policy).isEmpty)
        }
        if !records.isEmpty {
            try await connection.query(
                """
                INSERT INTO register (record, key, versions, conflict)
                SELECT * FROM unnest(\(records)::text[], \(keys)::text[], \(versions)::text[], \(conflicts)::boolean[])
                ON CONFLICT (record, key) DO UPDATE SET versions = excluded.versions, conflict = excluded.conflict
                """, logger: logger)
        }
        if !gone.isEmpty {
            try await connection.query(
                """
                DELETE FROM register r USING unnest(\(gone.map(\.0))::text[], \(gone.map(\.1))::text[]) AS g(record, key)
                WHERE r.record = g.record AND r.key = g.key
                """, logger: logger)
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
