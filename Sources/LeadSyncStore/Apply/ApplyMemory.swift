import GRDB
import LeadSyncCore
import Synchronization

/// What one apply transaction learnt that the next can reuse: the actors with their clocks, the
/// row keys of leads, and leads' field versions. A hub commits group after group, and each would
/// otherwise read again the actors and the leads the previous group had just written: a rep's
/// evening push creates its leads in one group and edits them in the next.
///
/// It is valid only for the database exactly as the transaction that filled it left it, so it is
/// stamped with SQLite's `data_version` (which changes when another connection commits) and the
/// writer connection's total change count (which changes when this connection writes outside the
/// apply path, such as a local edit or an import), and it is dropped when either differs.
struct ApplyMemory: Sendable {
    var actors: [ActorID: ActorState]
    var actorsByPK: [Int64: ActorID]
    var leads: [RecordID: LeadRef?]
    var versions: [Int64: FieldVersions]
    let stamp: Stamp

    struct Stamp: Equatable, Sendable {
        let dataVersion: Int64
        let totalChanges: Int

        init(_ db: Database) throws {
            dataVersion = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
            totalChanges = db.totalChangesCount
        }
    }
}

/// Keeps a store's ``ApplyMemory`` between its write transactions.
final class ApplyMemoryCell: Sendable {
    private let memory = Mutex<ApplyMemory?>(nil)

    /// The memory, if it is still valid for `db`. The cell is left empty either way: a transaction
    /// that fails must not leave behind what it changed and then rolled back.
    func take(for db: Database) throws -> ApplyMemory? {
        let taken = memory.withLock { memory in
            defer { memory = nil }
            return memory
        }
        guard let taken, try taken.stamp == ApplyMemory.Stamp(db) else { return nil }
        return taken
    }

    /// Call only after the transaction that produced `memory` committed.
    func keep(_ memory: ApplyMemory) {
        self.memory.withLock { $0 = memory }
    }
}
