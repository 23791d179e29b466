import Foundation
import GRDB
import LeadSyncCore

/// An actor as the op log knows it: its row key, last applied seq and that op's full clock.
struct ActorState {
    let pk: Int64
    let id: ActorID
    var seq: UInt64
    var clock: VectorClock
    var dirty = false
}

/// What one write transaction needs while applying operations: the actors (loaded once), the HLC,
/// and reusable coders. Lives only inside a `Store.write` closure.
struct ApplyContext {
    let db: Database
    let now: @Sendable () -> Int64
    var actors: [ActorID: ActorState] = [:]
    var actorsByPK: [Int64: ActorID] = [:]
    var hlc: HLCGenerator
    let clockEncoder = JSONEncoder()
    /// How many operations were applied (not skipped as duplicates) in this transaction.
    var applied = 0
    /// How many leads this transaction erased; the store then checkpoints the WAL.
    var erasures = 0

    init(db: Database, now: @escaping @Sendable () -> Int64) throws {
        self.db = db
        self.now = now
        clockEncoder.outputFormatting = [.sortedKeys]
        let packed = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = 'hlc'")) ?? 0
        hlc = HLCGenerator(last: HLC(packed: packed))
        let decoder = JSONDecoder()
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT pk, id, seq, clock FROM actor")) {
            let id = try ActorID(validating: row["id"])
            let clock = try decoder.decode(VectorClock.self, from: Data((row["clock"] as String).utf8))
            actors[id] = ActorState(pk: row["pk"], id: id, seq: UInt64(row["seq"] as Int64), clock: clock)
            actorsByPK[row["pk"]] = id
        }
    }

    /// The replica's vector clock: every actor's last contiguous seq.
    var clock: VectorClock {
        VectorClock(actors.mapValues(\.seq))
    }

    mutating func actorState(_ id: ActorID) throws -> ActorState {
        if let state = actors[id] { return state }
        try db.execute(
            sql: "INSERT INTO actor (id, node, seq, clock) VALUES (?, ?, 0, '{}')",
            arguments: [id.rawValue, id.node.rawValue])
        let state = ActorState(pk: db.lastInsertedRowID, id: id, seq: 0, clock: VectorClock())
        actors[id] = state
        actorsByPK[state.pk] = id
        return state
    }

    func actorID(pk: Int64) throws -> ActorID {
        guard let id = actorsByPK[pk] else { throw StoreError.corrupt("register names unknown actor #\(pk)") }
        return id
    }

    /// Persists the actors and HLC touched by this transaction.
    mutating func flush() throws {
        for (id, state) in actors where state.dirty {
            let clock = String(decoding: try clockEncoder.encode(state.clock), as: UTF8.self)
            try db.cachedStatement(sql: "UPDATE actor SET seq = ?, clock = ? WHERE pk = ?")
                .execute(arguments: [Int64(state.seq), clock, state.pk])
            actors[id]?.dirty = false
        }
        try db.cachedStatement(
            sql: "INSERT INTO meta (key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ).execute(arguments: [String(hlc.last.packed)])
    }
}
