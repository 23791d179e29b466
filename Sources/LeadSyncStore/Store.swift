import Foundation
import GRDB
import LeadSyncCore
import LeadSyncReplication

/// A replica's (or the hub's) database: the op log, the materialised leads and the merge metadata.
/// Every change goes through one of its transactions, so a crash at any moment leaves either the
/// whole operation or none of it.
public struct Store: Sendable {
    let writer: any DatabaseWriter
    /// Wall time in milliseconds; injectable so tests can skew a replica's clock.
    let now: @Sendable () -> Int64
    public let path: String
    /// What the last apply transaction learnt, for the next (shared by copies of this store).
    let applyMemory = ApplyMemoryCell()

    /// Opens (and migrates) the database file at `path`, WAL mode with `synchronous=FULL`:
    /// a committed edit survives a power loss. Without `automaticCheckpoints`, committing never
    /// copies the WAL into the main file: the owner calls ``passiveCheckpoint()`` from another
    /// thread instead (a hub, after its group commits). A store that is never searched (a hub's)
    /// opens with `searchable: false`: its lead writes skip refreshing `search_text`, which cost
    /// more than the write itself (``SearchFold``).
    public static func open(
        path: String, automaticCheckpoints: Bool = true, searchable: Bool = true,
        now: @escaping @Sendable () -> Int64 = Store.systemMillis
    ) throws(StoreError) -> Store {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Erased personal data must not linger in freed pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // 8 MiB of page cache per connection, a hub's too: a larger cache made a hub's group
            // commits slower, not faster (fresh memory to fault in; Docs/benchmarks.md).
            try db.execute(sql: "PRAGMA cache_size = -8192")
            // Savepoints journal the pages they change; in memory, not in a temporary file.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if !automaticCheckpoints { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        configuration.busyMode = .timeout(10)
        PrivateFiles.prepare(database: path)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .database("cannot open \(path): \(error)")
        }
        PrivateFiles.restrict(database: path)
        let store = try Store(writer: pool, path: path, now: now)
        if !searchable { try store.dropSearchTriggers() }
        return store
    }

    /// A throwaway in-memory store, for tests and simulations.
    public static func inMemory(now: @escaping @Sendable () -> Int64 = Store.systemMillis) throws(StoreError) -> Store {
        do {
            return try Store(writer: DatabaseQueue(), path: ":memory:", now: now)
        } catch {
            throw .database("\(error)")
        }
    }

    init(writer: any DatabaseWriter, path: String, now: @escaping @Sendable () -> Int64) throws(StoreError) {
        self.writer = writer
        self.path = path
        self.now = now
        try mapErrors { try Self.migrator.migrate(writer) }
    }

    public static let systemMillis: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try mapErrors { try writer.write(body) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try mapErrors { try writer.read(body) }
    }

    /// Folds every failure into a ``StoreError`` the user can read.
    func mapErrors<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw Self.storeError(from: error)
        }
    }

    static func storeError(from error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as LeadError: error.storeError
        case let error as ReplicationError: error.storeError
        case let error as IdentityError: .invalidInput(error.description)
        case let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB:
            .corrupt(error.message ?? "\(error)")
        case let error as DatabaseError where error.resultCode == .SQLITE_FULL:
            .diskFull
        default: .database("\(error)")
        }
    }
}
