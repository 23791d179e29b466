import Foundation
import GRDB
import LeadSyncCore

/// Admin tokens and the per-session history the admin server shows (migration `v2-admin`).
extension NodeRegistry {
    /// Appended to ``NodeRegistry/migrator``; never edited once released (new columns come in new
    /// migrations).
    static func registerAdminMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-admin") { db in
            try db.execute(sql: """
                ALTER TABLE node ADD COLUMN last_seen_at INTEGER;
                ALTER TABLE node ADD COLUMN client_protocol INTEGER;
                ALTER TABLE node ADD COLUMN waiting_ops INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE node ADD COLUMN ops_sent INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE node ADD COLUMN last_error TEXT;
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    node TEXT NOT NULL,
                    address TEXT,
                    started_at INTEGER NOT NULL,
                    ended_at INTEGER NOT NULL,
                    pushed INTEGER NOT NULL,
                    pulled INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    error TEXT
                );
                CREATE INDEX session_by_node ON session (node, id);
                CREATE TABLE admin_token (
                    name TEXT PRIMARY KEY,
                    token_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-client-version") { db in
            try db.execute(sql: "ALTER TABLE node ADD COLUMN client_version TEXT")
        }
    }

    // MARK: Admin tokens

    /// Makes admin token `name` and returns it; only its SHA-256 is stored. Refuses an existing name
    /// (revoked or not): revoke-then-create under the same name would hide that it was revoked.
    public func createAdminToken(_ name: NodeID) throws(RegistryError) -> String {
        let token = NodeToken.generate()
        let hash = NodeToken.hash(token)
        let time = now()
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM admin_token WHERE name = ?", arguments: [name.rawValue]) ?? false {
                throw RegistryError.database("admin token '\(name)' already exists; choose another name (list them with 'leadsync hub admin-token list')")
            }
            try db.execute(
                sql: "INSERT INTO admin_token (name, token_hash, created_at) VALUES (?, ?, ?)",
                arguments: [name.rawValue, hash, time])
        }
        return token
    }

    /// Revokes admin token `name`: every request and page session using it is refused from now on.
    public func revokeAdminToken(_ name: NodeID) throws(RegistryError) {
        let time = now()
        try write { db in
            try db.execute(
                sql: "UPDATE admin_token SET revoked_at = coalesce(revoked_at, ?) WHERE name = ?",
                arguments: [time, name.rawValue])
            guard db.changesCount == 1 else {
                throw RegistryError.database("no admin token '\(name)' (list them with 'leadsync hub admin-token list')")
            }
        }
    }

    public func adminTokens() throws(RegistryError) -> [AdminTokenRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at, revoked_at FROM admin_token ORDER BY name").map { row in
                AdminTokenRecord(name: row["name"], createdAt: row["created_at"], revokedAt: row["revoked_at"])
            }
        }
    }

    /// The name of the valid admin token `token` is, or nil. Compares against every valid token's
    /// hash in constant time, without an index lookup on the hash.
    public func authenticateAdmin(token: String) throws(RegistryError) -> String? {
        let hash = NodeToken.hash(token)
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT name, token_hash FROM admin_token WHERE revoked_at IS NULL")
                .map { (name: $0["name"] as String, hash: $0["token_hash"] as String) }
        }
        var found: String?
        for row in rows where NodeToken.matches(row.hash, hash) { found = row.name }
        return found
    }

    // MARK: Contacts and sessions

    /// A node's `hello` was accepted: what it told the hub (protocol, build), and what it held
    /// that the hub lacked.
    public func recordContact(
        node: NodeID, clientProtocol: Int, clientVersion: String?, waitingOperations: UInt64
    ) throws(RegistryError) {
        let time = now()
        try write { db in
            try db.execute(
                sql: "UPDATE node SET last_seen_at = ?, client_protocol = ?, client_version = ?, waiting_ops = ? WHERE name = ?",
                arguments: [time, clientProtocol, clientVersion, Int64(clamping: waitingOperations), node.rawValue])
        }
    }

    /// A session ended: keeps it in the node's history (the last ``SessionRecord/historyLimit``)
    /// and updates the node's row.
    public func recordSession(_ session: SessionRecord) throws(RegistryError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO session (node, address, started_at, ended_at, pushed, pulled, outcome, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.node, session.address, session.startedAt, session.endedAt, session.pushed, session.pulled,
                    session.outcome, session.error,
                ])
            try db.execute(
                sql: """
                    DELETE FROM session WHERE node = ? AND id NOT IN
                        (SELECT id FROM session WHERE node = ? ORDER BY id DESC LIMIT ?)
                    """,
                arguments: [session.node, session.node, SessionRecord.historyLimit])
            try db.execute(
                sql: """
                    UPDATE node SET last_seen_at = ?, ops_sent = ops_sent + ?, waiting_ops = ?,
                        last_error = coalesce(?, last_error)
                    WHERE name = ?
                    """,
                arguments: [
                    session.endedAt, session.pulled, Int64(clamping: session.waitingOperations), session.error, session.node,
                ])
        }
    }

    /// The node's recent sessions, newest first; nil when no such node is registered.
    public func sessions(of node: NodeID, limit: Int = SessionRecord.historyLimit) throws(RegistryError) -> [SessionRecord]? {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM node WHERE name = ?", arguments: [node.rawValue]) ?? false else {
                return nil
            }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM session WHERE node = ? ORDER BY id DESC LIMIT ?", arguments: [node.rawValue, limit]
            ).map { row in
                SessionRecord(
                    node: row["node"], address: row["address"], startedAt: row["started_at"], endedAt: row["ended_at"],
                    pushed: row["pushed"], pulled: row["pulled"], outcome: row["outcome"], error: row["error"],
                    waitingOperations: 0)
            }
        }
    }

    /// The admin columns of every node, by name.
    func adminColumns() throws(RegistryError) -> [String: AdminColumns] {
        try read { db in
            var columns: [String: AdminColumns] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT name, last_seen_at, client_protocol, client_version, waiting_ops, ops_sent, last_error FROM node")
            {
                columns[row["name"]] = AdminColumns(
                    lastSeenAt: row["last_seen_at"], clientProtocol: row["client_protocol"], clientVersion: row["client_version"],
                    waitingOperations: UInt64(max(0, row["waiting_ops"] as Int64)), opsSent: row["ops_sent"],
                    lastError: row["last_error"])
            }
            return columns
        }
    }

    /// Sets a node's last successful sync time; for tests and tools that build a fleet's history.
    public func setLastSync(node: NodeID, at millis: Int64?) throws(RegistryError) {
        try write { db in
            try db.execute(sql: "UPDATE node SET last_sync_at = ? WHERE name = ?", arguments: [millis, node.rawValue])
            guard db.changesCount == 1 else { throw RegistryError.unknownNode(node.rawValue) }
        }
    }
}

/// The registry's admin-only facts about one node.
struct AdminColumns: Sendable {
    var lastSeenAt: Int64?
    var clientProtocol: Int?
    var clientVersion: String?
    var waitingOperations: UInt64
    var opsSent: Int64
    var lastError: String?
}
