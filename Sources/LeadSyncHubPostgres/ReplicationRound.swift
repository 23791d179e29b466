import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import PostgresNIO

/// One group commit's batches, applied by the shared replication rules (``Replicator``) to a
/// ``MemoryReplicationState`` loaded with the rows the batches touch: every actor, and the leads
/// and registers the operations name. What the rules changed is then written back in a few
/// multi-row statements, in the same transaction. No rule is decided here.
struct ReplicationRound {
    private(set) var state: MemoryReplicationState
    /// The log's last position before this round.
    let end: Int64
    private(set) var received: [NodeID: Int] = [:]

    /// Loads what `batches` touch, under the log lock (the caller holds it).
    static func load(
        for batches: [IncomingBatch], on connection: PostgresConnection, logger: Logger
    ) async throws -> ReplicationRound {
        var actors: [ActorID: MemoryReplicationState.ActorProgress] = [:]
        for try await (id, seq, clock) in try await connection.query("SELECT id, seq, clock FROM actor", logger: logger)
            .decode((String, Int64, String).self)
        {
            actors[try ActorID(validating: id)] = .init(seq: UInt64(seq), clock: try PostgresHubStore.decodeClock(clock))
        }
        var end: Int64 = 0
        for try await last in try await connection.query("SELECT coalesce(max(pos), 0) FROM op", logger: logger).decode(Int64.self) {
            end = last
        }
        var state = MemoryReplicationState(actors: actors)
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
            state.load(lead: try RecordID(validating: record), MemoryReplicationState.LeadRow(
                presence: erased ? .erased : .live, createdBy: try createdBy.flatMap { $0.isEmpty ? nil : try ActorID(validating: $0) },
                createdHLC: createdHLC.map(HLC.init(packed:)), updatedHLC: HLC(packed: updatedHLC)))
        }
        let refs = Array(keys.values)
        let decoder = JSONDecoder()
        for try await (record, key, versions) in try await connection.query(
            """
            SELECT r.record, r.key, r.versions FROM register r
            JOIN unnest(\(refs.map(\.0.rawValue))::text[], \(refs.map(\.1.rawValue))::text[]) AS w(record, key)
              ON r.record = w.record AND r.key = w.key
            """, logger: logger
        ).decode((String, String, String).self) {
            guard let (recordID, registerKey) = keys["\(record)\u{1}\(key)"] else { continue }
            state.load(register: registerKey, of: recordID, versions: try decoder.decode([Version].self, from: Data(versions.utf8)))
        }
        return ReplicationRound(state: state, end: end)
    }

    /// Applies one session's batch whole, or refuses it whole and keeps nothing of it.
    mutating func offer(_ batch: IncomingBatch) -> Result<ApplyResult, ProtocolError> {
        let saved = state
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
            state = saved
            return .failure(error.protocolError)
        } catch {
            state = saved
            return .failure(ProtocolError(.internal, "the hub could not store the batch; retry later"))
        }
        received[batch.node, default: 0] += applied
        return .success(ApplyResult(applied: applied, duplicates: duplicates, clock: clock))
    }

    var clock: VectorClock {
        var clock = VectorClock()
        for (id, progress) in state.actors { clock[id] = progress.seq }
        return clock
    }

    /// Writes back what the rules changed: log rows, actors, leads, registers, redactions, counts.
    mutating func write(on connection: PostgresConnection, logger: Logger) async throws {
        let entries = Array(state.appendedEntries)
        let changes = state.takeChanges()
        guard !changes.isEmpty else { return }
        if !entries.isEmpty {
            let positions = (1...Int64(entries.count)).map { end + $0 }
            try await connection.query(
                """
                INSERT INTO op (pos, actor, seq, record, body)
                SELECT * FROM unnest(\(positions)::bigint[], \(entries.map(\.op.origin.rawValue))::text[],
                                     \(entries.map { Int64($0.op.seq) })::bigint[], \(entries.map(\.op.record.rawValue))::text[],
                                     \(entries.map(\.body))::text[])
                """, logger: logger)
        }
        let actors = try changes.actors.sorted { $0.rawValue < $1.rawValue }.map { id in
            (id.rawValue, id.node.rawValue, Int64(state.appliedSeq(of: id)), try PostgresHubStore.encodeClock(state.clock(of: id)))
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
        let erased = changes.erased.map(\.rawValue)
        if !erased.isEmpty {
            try await connection.query("DELETE FROM register WHERE record = ANY(\(erased)::text[])", logger: logger)
        }
        try await writeRegisters(changes.registers, on: connection, logger: logger)
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
        let encoder = JSONEncoder()
        var records: [String] = []
        var keys: [String] = []
        var versions: [String] = []
        var conflicts: [Bool] = []
        var gone: [(String, String)] = []
        for ref in refs {
            guard let register = state.registers[ref], !register.versions.isEmpty else {
                gone.append((ref.record.rawValue, ref.key.rawValue))
                continue
            }
            records.append(ref.record.rawValue)
            keys.append(ref.key.rawValue)
            versions.append(String(decoding: try encoder.encode(register.versions), as: UTF8.self))
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
