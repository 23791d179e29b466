import Foundation
import GRDB
import LeadSyncCore
import LeadSyncHub
import LeadSyncStore

/// The hub's node registry (`nodes.sqlite` in the hub home): who may sync, with which token hash,
/// and per-node statistics. Kept apart from the op store so replacing the store (PostgreSQL) or
/// wiping statistics never touches the replicated data.
public struct NodeRegistry: Sendable {
    let writer: any DatabaseWriter
    let now: @Sendable () -> Int64

    /// Opens (and migrates) the registry at `path`. Commands that add or revoke nodes need
    /// `durable` commits: a revocation must survive a power loss. A serving hub writes only
    /// statistics through its connection and opens it with `durable: false` (`synchronous=NORMAL`
    /// in WAL mode: always consistent, but a power loss may drop the last updates), so statistics
    /// never cost an fsync next to the store's group commits.
    public static func open(
        path: String, durable: Bool = true, now: @escaping @Sendable () -> Int64 = NodeRegistry.systemMillis
    ) throws(RegistryError) -> NodeRegistry {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        }
        PrivateFiles.prepare(database: path)
        defer { PrivateFiles.restrict(database: path) }
        do {
            return try NodeRegistry(writer: DatabasePool(path: path, configuration: configuration), now: now)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .database("cannot open \(path): \(error)")
        }
    }

    public static func inMemory(now: @escaping @Sendable () -> Int64 = NodeRegistry.systemMillis) throws(RegistryError) -> NodeRegistry {
        do {
            return try NodeRegistry(writer: DatabaseQueue(), now: now)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    public static let systemMillis = HubClock.systemMillis

    init(writer: any DatabaseWriter, now: @escaping @Sendable () -> Int64) throws {
        self.writer = writer
        self.now = now
        try Self.migrator.migrate(writer)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE node (
                    name TEXT PRIMARY KEY,
                    token_hash TEXT NOT NULL,
                    revoked INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    last_sync_at INTEGER,
                    last_address TEXT,
                    ops_received INTEGER NOT NULL DEFAULT 0,
                    acked_clock TEXT NOT NULL DEFAULT '{}',
                    skew_ms INTEGER,
                    connected INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                """)
            var generator = SystemRandomNumberGenerator()
            let suffix = (0..<8).map { _ in String(UInt8.random(in: 0..<36, using: &generator), radix: 36) }.joined()
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('hub_id', ?)", arguments: ["hub-" + suffix])
        }
        registerAdminMigration(&migrator)
        return migrator
    }

    /// The hub's id, made once when the registry is created; sent in every `welcome`.
    public func hubID() throws(RegistryError) -> String {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'hub_id'") ?? "hub" }
    }

    /// Registers `node` and returns its token, which is shown once and never stored.
    /// With `reissue`, an existing node (revoked or not) gets a new token and is un-revoked.
    /// The name ``NodeID/hub`` is reserved: the hub's own actor writes the replicated settings.
    public func addNode(_ node: NodeID, reissue: Bool = false) throws(RegistryError) -> String {
        guard node != .hub else { throw .reservedNode(node.rawValue) }
        let token = NodeToken.generate()
        let hash = NodeToken.hash(token)
        let time = now()
        try write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM node WHERE name = ?", arguments: [node.rawValue]) ?? false
            if exists {
                guard reissue else { throw RegistryError.nodeExists(node.rawValue) }
                try db.execute(
                    sql: "UPDATE node SET token_hash = ?, revoked = 0 WHERE name = ?", arguments: [hash, node.rawValue])
            } else {
                try db.execute(
                    sql: "INSERT INTO node (name, token_hash, created_at) VALUES (?, ?, ?)",
                    arguments: [node.rawValue, hash, time])
            }
        }
        return token
    }

    /// Revokes the node's token: its next `hello` is refused with `revoked`.
    public func revokeNode(_ node: NodeID) throws(RegistryError) {
        try write { db in
            try db.execute(sql: "UPDATE node SET revoked = 1 WHERE name = ?", arguments: [node.rawValue])
            guard db.changesCount == 1 else { throw RegistryError.unknownNode(node.rawValue) }
        }
    }

    public func authenticate(node: NodeID, token: String) throws(RegistryError) -> AuthenticationResult {
        try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT token_hash, revoked FROM node WHERE name = ?", arguments: [node.rawValue])
            else { return .unknownNode }
            guard NodeToken.matches(row["token_hash"], NodeToken.hash(token)) else { return .wrongToken }
            return row["revoked"] as Bool ? .revoked : .accepted
        }
    }

    public func nodes() throws(RegistryError) -> [NodeRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM node ORDER BY name").map(Self.record(from:)) }
    }

    public func node(_ node: NodeID) throws(RegistryError) -> NodeRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM node WHERE name = ?", arguments: [node.rawValue]).map(Self.record(from:))
        }
    }

    // MARK: Session statistics

    /// A session of `node` was authenticated.
    public func sessionStarted(node: NodeID, address: String?, skewMillis: Int64, clock: VectorClock) throws(RegistryError) {
        let clockText = try Self.clockText(clock)
        try write { db in
            try db.execute(
                sql: """
                    UPDATE node SET connected = connected + 1, last_address = ?, skew_ms = ?, acked_clock = ?
                    WHERE name = ?
                    """,
                arguments: [address, skewMillis, clockText, node.rawValue])
        }
    }

    /// The node pushed `count` operations new to the hub.
    /// Adds to each node's count of operations received, in one transaction.
    public func recordOpsReceived(_ counts: [NodeID: Int]) throws(RegistryError) {
        let counts = counts.filter { $0.value > 0 }
        guard !counts.isEmpty else { return }
        try write { db in
            for (node, count) in counts {
                try db.execute(
                    sql: "UPDATE node SET ops_received = ops_received + ? WHERE name = ?", arguments: [count, node.rawValue])
            }
        }
    }

    /// The node acknowledged a pulled batch: its clock is now `clock`.
    public func recordAcknowledged(node: NodeID, clock: VectorClock) throws(RegistryError) {
        let clockText = try Self.clockText(clock)
        try write { db in
            try db.execute(sql: "UPDATE node SET acked_clock = ? WHERE name = ?", arguments: [clockText, node.rawValue])
        }
    }

    /// A session of `node` ended; `succeeded` when it reached the hub's `done`.
    public func sessionEnded(node: NodeID, succeeded: Bool) throws(RegistryError) {
        let time = now()
        try write { db in
            try db.execute(
                sql: """
                    UPDATE node SET connected = max(connected - 1, 0),
                        last_sync_at = CASE WHEN ? THEN ? ELSE last_sync_at END
                    WHERE name = ?
                    """,
                arguments: [succeeded, time, node.rawValue])
        }
    }

    /// Clears "connected now" at serve start: sessions of a previous run died with it.
    public func resetConnections() throws(RegistryError) {
        try write { db in try db.execute(sql: "UPDATE node SET connected = 0") }
    }

    // MARK: Plumbing

    static func record(from row: Row) throws -> NodeRecord {
        NodeRecord(
            node: try NodeID(validating: row["name"]),
            revoked: row["revoked"],
            createdAt: row["created_at"],
            lastSyncAt: row["last_sync_at"],
            lastAddress: row["last_address"],
            opsReceived: row["ops_received"],
            acknowledgedClock: try JSONDecoder().decode(VectorClock.self, from: Data((row["acked_clock"] as String).utf8)),
            skewMillis: row["skew_ms"],
            connected: row["connected"])
    }

    static func clockText(_ clock: VectorClock) throws(RegistryError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(clock), as: UTF8.self)
        } catch {
            throw .database("cannot encode clock: \(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(RegistryError) -> T {
        try mapErrors { try writer.write(body) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(RegistryError) -> T {
        try mapErrors { try writer.read(body) }
    }

    func mapErrors<T>(_ body: () throws -> T) throws(RegistryError) -> T {
        do {
            return try body()
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }
}
