import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncStore

/// An actor's delivered state: its last contiguous seq and that operation's full clock.
struct DeliveredActor: Sendable {
    var seq: UInt64
    var clock: VectorClock
}

/// A log row to insert.
struct OpRow: Sendable {
    let pos: Int64
    let actor: String
    let seq: Int64
    let record: String
    let body: String
}

/// The batches of one group commit, checked in memory against the actors' state read under the
/// log lock: what to insert, which actors changed, what each node pushed that was new.
struct DeliveryRound {
    private(set) var actors: [ActorID: DeliveredActor]
    private(set) var end: Int64
    private(set) var rows: [OpRow] = []
    private(set) var changed: Set<ActorID> = []
    private(set) var received: [NodeID: Int] = [:]

    init(actors: [ActorID: DeliveredActor], end: Int64) {
        self.actors = actors
        self.end = end
    }

    var changedActors: [(ActorID, DeliveredActor)] {
        changed.sorted { $0.rawValue < $1.rawValue }.compactMap { id in actors[id].map { (id, $0) } }
    }

    /// Offers one session's batch: applied whole, or refused whole with nothing kept.
    mutating func offer(_ batch: IncomingBatch) -> Result<ApplyResult, ProtocolError> {
        let saved = self
        var applied = 0
        var duplicates = 0
        for (op, body) in zip(batch.ops, batch.bodies) {
            do throws(StoreError) {
                if try deliver(op, body: body, from: batch.node) { applied += 1 } else { duplicates += 1 }
            } catch {
                self = saved
                return .failure(error.protocolError)
            }
        }
        received[batch.node, default: 0] += applied
        return .success(ApplyResult(applied: applied, duplicates: duplicates, clock: clock))
    }

    var clock: VectorClock {
        var clock = VectorClock()
        for (id, actor) in actors { clock[id] = actor.seq }
        return clock
    }

    /// True when stored, false for a duplicate.
    private mutating func deliver(_ op: Op, body: String, from node: NodeID) throws(StoreError) -> Bool {
        guard op.origin.node == node else { throw .foreignOrigin(op.origin.rawValue) }
        var actor = actors[op.origin] ?? DeliveredActor(seq: 0, clock: VectorClock())
        if op.seq <= actor.seq { return false }
        guard op.seq == actor.seq + 1 else { throw .seqGap(origin: op.origin.rawValue, expected: actor.seq + 1, got: op.seq) }
        for (dependency, needed) in op.deps.entries where dependency != op.origin {
            guard (actors[dependency]?.seq ?? 0) >= needed else {
                throw .missingDependency(origin: op.origin.rawValue, seq: op.seq, needs: dependency.rawValue, needsSeq: needed)
            }
        }
        actor.clock = op.fullClock(previous: actor.clock)
        actor.seq = op.seq
        actors[op.origin] = actor
        changed.insert(op.origin)
        end += 1
        rows.append(OpRow(pos: end, actor: op.origin.rawValue, seq: Int64(op.seq), record: op.record.rawValue, body: body))
        return true
    }
}
