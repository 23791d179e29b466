import Foundation
import LeadSyncCore
import LeadSyncHub
import PostgresNIO

/// Contacts, session history and admin tokens for the admin server, shared by every process.
extension PostgresHubStore {
    public func recordContact(node: NodeID, clientProtocol: Int, clientVersion: String?, waitingOperations: UInt64) async throws {
        let waiting = Int64(clamping: waitingOperations)
        try await database.execute(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE node SET last_seen_at = \(Self.nowSQL), client_protocol = $1, client_version = $2, waiting_ops = $3
                    WHERE name = $4 RETURNING 1
                    """,
                binds: {
                    var b = PostgresBindings()
                    b.append(clientProtocol)
                    b.append(clientVersion)
                    b.append(waiting)
                    b.append(node.rawValue)
                    return b
                }()))
    }

    /// Keeps the session in the node's history (the last ``SessionRecord/historyLimit``).
    public func recordSession(_ session: SessionRecord) async throws {
        let waiting = Int64(clamping: session.waitingOperations)
        let pushed = Int64(session.pushed)
        let pulled = Int64(session.pulled)
        let limit = SessionRecord.historyLimit
        try await database.transaction { connection, logger in
            try await connection.query(
                """
                INSERT INTO session (node, address, started_at, ended_at, pushed, pulled, outcome, error)
                VALUES (\(session.node), \(session.address), \(session.startedAt), \(session.endedAt), \(pushed), \(pulled),
                        \(session.outcome), \(session.error))
                """, logger: logger)
            try await connection.query(
                """
                DELETE FROM session WHERE node = \(session.node) AND id NOT IN
                    (SELECT id FROM session WHERE node = \(session.node) ORDER BY id DESC LIMIT \(limit))
                """, logger: logger)
            try await connection.query(
                """
                UPDATE node SET last_seen_at = \(session.endedAt), ops_sent = ops_sent + \(pulled), waiting_ops = \(waiting),
                    last_error = coalesce(\(session.error), last_error)
                WHERE name = \(session.node)
                """, logger: logger)
        }
    }

    public func sessions(of node: NodeID) async throws -> [SessionRecord]? {
        let limit = SessionRecord.historyLimit
        return try await database.connection { connection, logger in
            guard try await PostgresHubDatabase.execute("SELECT 1 FROM node WHERE name = \(node.rawValue)", on: connection, logger: logger) == 1
            else { return nil }
            var sessions: [SessionRecord] = []
            for try await (name, address, started, ended, pushed, pulled, outcome, error) in try await connection.query(
                """
                SELECT node, address, started_at, ended_at, pushed, pulled, outcome, error FROM session
                WHERE node = \(node.rawValue) ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).decode((String, String?, Int64, Int64, Int64, Int64, String, String?).self) {
                sessions.append(SessionRecord(
                    node: name, address: address, startedAt: started, endedAt: ended, pushed: Int(pushed), pulled: Int(pulled),
                    outcome: outcome, error: error, waitingOperations: 0))
            }
            return sessions
        }
    }

    /// Every node's row for the admin page: the status joined with the admin columns.
    public func adminReport() async throws -> AdminReport {
        let status = try await status()
        let columns = try await database.connection { connection, logger in
            var columns: [String: AdminExtras] = [:]
            for try await (name, seen, proto, version, waiting, sent, error) in try await connection.query(
                "SELECT name, last_seen_at, client_protocol, client_version, waiting_ops, ops_sent, last_error FROM node", logger: logger
            ).decode((String, Int64?, Int?, String?, Int64, Int64, String?).self) {
                columns[name] = AdminExtras(
                    lastSeenAt: seen, clientProtocol: proto, clientVersion: version, waiting: UInt64(max(0, waiting)), sent: sent,
                    error: error)
            }
            return columns
        }
        let nodes = status.nodes.map { node in
            let extra = columns[node.node]
            return AdminNodeReport(
                node: node.node, state: node.revoked ? "revoked" : "active", connected: node.connected,
                lastSeenAt: extra?.lastSeenAt, lastSyncAt: node.lastSyncAt, lastAddress: node.lastAddress,
                clientProtocol: extra?.clientProtocol, clientVersion: extra?.clientVersion, skewMillis: node.skewMillis, opsPushed: node.opsReceived,
                opsPulled: extra?.sent ?? 0, hubAhead: node.lag, waitingOnNode: extra?.waiting ?? 0,
                conflicts: node.conflicts, lastError: extra?.error)
        }
        return AdminReport(hub: status.hub, operations: status.operations, conflicts: status.conflicts, nodes: nodes)
    }

    // MARK: Admin tokens

    /// Makes admin token `name` and returns it; only its SHA-256 is stored. Refuses an existing name.
    public func createAdminToken(_ name: NodeID) async throws -> String {
        let token = NodeToken.generate()
        let hash = NodeToken.hash(token)
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let inserted = try await database.execute(
            """
            INSERT INTO admin_token (name, token_hash, created_at) VALUES (\(name.rawValue), \(hash), \(now))
            ON CONFLICT (name) DO NOTHING RETURNING 1
            """)
        guard inserted == 1 else {
            throw RegistryError.database("admin token '\(name)' already exists; choose another name (list them with 'leadsync hub admin-token list')")
        }
        return token
    }

    public func revokeAdminToken(_ name: NodeID) async throws {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let changed = try await database.execute(
            "UPDATE admin_token SET revoked_at = coalesce(revoked_at, \(now)) WHERE name = \(name.rawValue) RETURNING 1")
        guard changed == 1 else {
            throw RegistryError.database("no admin token '\(name)' (list them with 'leadsync hub admin-token list')")
        }
    }

    public func adminTokens() async throws -> [AdminTokenRecord] {
        try await database.connection { connection, logger in
            var tokens: [AdminTokenRecord] = []
            for try await (name, created, revoked) in try await connection.query(
                "SELECT name, created_at, revoked_at FROM admin_token ORDER BY name", logger: logger
            ).decode((String, Int64, Int64?).self) {
                tokens.append(AdminTokenRecord(name: name, createdAt: created, revokedAt: revoked))
            }
            return tokens
        }
    }

    /// The name of the valid admin token `token` is, or nil; compares every valid hash in constant time.
    public func authenticateAdmin(token: String) async throws -> String? {
        let hash = NodeToken.hash(token)
        let rows = try await database.connection { connection, logger in
            var rows: [(String, String)] = []
            for try await row in try await connection.query(
                "SELECT name, token_hash FROM admin_token WHERE revoked_at IS NULL", logger: logger
            ).decode((String, String).self) {
                rows.append(row)
            }
            return rows.map { AdminTokenRow(name: $0.0, hash: $0.1) }
        }
        var found: String?
        for row in rows where NodeToken.matches(row.hash, hash) { found = row.name }
        return found
    }
}

struct AdminExtras: Sendable {
    let lastSeenAt: Int64?
    let clientProtocol: Int?
    let clientVersion: String?
    let waiting: UInt64
    let sent: Int64
    let error: String?
}

struct AdminTokenRow: Sendable {
    let name: String
    let hash: String
}
