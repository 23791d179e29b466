import Foundation
import LeadSyncCore
import LeadSyncHub
import PostgresNIO

/// The node registry in PostgreSQL: the same rules as the SQLite ``NodeRegistry`` (token hashes,
/// reserved names, reissue), shared by every process.
extension PostgresHubStore {
    /// Registers `node` and returns its token, shown once; only its SHA-256 is stored. With
    /// `reissue`, an existing node gets a new token and is un-revoked.
    public func addNode(_ node: NodeID, reissue: Bool = false) async throws -> String {
        guard node != .hub else { throw RegistryError.reservedNode(node.rawValue) }
        let token = NodeToken.generate()
        let hash = NodeToken.hash(token)
        let name = node.rawValue
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let stored = try await database.transaction { connection, logger in
            if try await PostgresHubDatabase.execute(
                "INSERT INTO node (name, token_hash, created_at) VALUES (\(name), \(hash), \(now)) ON CONFLICT (name) DO NOTHING RETURNING 1",
                on: connection, logger: logger) == 1
            {
                return true
            }
            guard reissue else { return false }
            return try await PostgresHubDatabase.execute(
                "UPDATE node SET token_hash = \(hash), revoked = false WHERE name = \(name) RETURNING 1",
                on: connection, logger: logger) == 1
        }
        guard stored else { throw RegistryError.nodeExists(name) }
        return token
    }

    /// Revokes the node's token: its next `hello` is refused with `revoked` by every process.
    public func revokeNode(_ node: NodeID) async throws {
        let changed = try await database.execute("UPDATE node SET revoked = true WHERE name = \(node.rawValue) RETURNING 1")
        guard changed == 1 else { throw RegistryError.unknownNode(node.rawValue) }
    }

    /// Reads the node's row on every call (no cache): a revocation made through any process is
    /// seen by the next `hello` at every process.
    public func authenticate(node: NodeID, token: String) async throws -> AuthenticationResult {
        let row = try await database.connection { connection, logger in
            for try await row in try await connection.query(
                "SELECT token_hash, revoked FROM node WHERE name = \(node.rawValue)", logger: logger
            ).decode((String, Bool).self) {
                return Optional(row)
            }
            return nil
        }
        guard let (hash, revoked) = row else { return .unknownNode }
        guard NodeToken.matches(hash, NodeToken.hash(token)) else { return .wrongToken }
        return revoked ? .revoked : .accepted
    }

    /// Every registered node, by name; `connected` counts the sessions open at live processes.
    public func nodes() async throws -> [NodeRecord] {
        let live = Self.processTimeoutMillis
        let rows = try await database.connection { connection, logger in
            var rows: [NodeRow] = []
            let query = PostgresQuery(unsafeSQL: """
                SELECT name, revoked, created_at, last_sync_at, last_address, ops_received, acked_clock, skew_ms,
                    coalesce((SELECT sum(c.sessions) FROM node_connection c JOIN hub_process p ON p.id = c.process
                              WHERE c.node = node.name AND p.heartbeat_at > \(Self.nowSQL) - \(live)), 0)::bigint
                FROM node ORDER BY name
                """)
            for try await (name, revoked, createdAt, lastSync, address, received, clock, skew, connected) in try await connection.query(
                query, logger: logger
            ).decode((String, Bool, Int64, Int64?, String?, Int64, String, Int64?, Int64).self) {
                rows.append(NodeRow(
                    name: name, revoked: revoked, createdAt: createdAt, lastSyncAt: lastSync, lastAddress: address,
                    opsReceived: received, clock: clock, skewMillis: skew, connected: connected))
            }
            return rows
        }
        return try rows.map { row in
            NodeRecord(
                node: try NodeID(validating: row.name), revoked: row.revoked, createdAt: row.createdAt,
                lastSyncAt: row.lastSyncAt, lastAddress: row.lastAddress, opsReceived: row.opsReceived,
                acknowledgedClock: try Self.decodeClock(row.clock), skewMillis: row.skewMillis, connected: Int(row.connected))
        }
    }

    // MARK: Session statistics (best effort: the server ignores their failures)

    public func sessionStarted(node: NodeID, address: String?, skewMillis: Int64, clock: VectorClock) async throws {
        let clockText = try Self.encodeClock(clock)
        let name = node.rawValue
        try await database.transaction { [processID] connection, logger in
            try await connection.query(
                "UPDATE node SET last_address = \(address), skew_ms = \(skewMillis), acked_clock = \(clockText) WHERE name = \(name)",
                logger: logger)
            try await connection.query(
                """
                INSERT INTO node_connection (process, node, sessions) VALUES (\(processID), \(name), 1)
                ON CONFLICT (process, node) DO UPDATE SET sessions = node_connection.sessions + 1
                """, logger: logger)
        }
    }

    public func recordAcknowledged(node: NodeID, clock: VectorClock) async throws {
        let clockText = try Self.encodeClock(clock)
        try await database.execute("UPDATE node SET acked_clock = \(clockText) WHERE name = \(node.rawValue) RETURNING 1")
    }

    public func sessionEnded(node: NodeID, succeeded: Bool) async throws {
        let name = node.rawValue
        try await database.transaction { [processID] connection, logger in
            if succeeded {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "UPDATE node SET last_sync_at = \(Self.nowSQL) WHERE name = $1", binds: Self.binds(name)),
                    logger: logger)
            }
            try await connection.query(
                "UPDATE node_connection SET sessions = greatest(sessions - 1, 0) WHERE process = \(processID) AND node = \(name)",
                logger: logger)
        }
    }

    // MARK: Plumbing

    static func encodeClock(_ clock: VectorClock) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(clock), as: UTF8.self)
    }

    static func decodeClock(_ text: String) throws -> VectorClock {
        try JSONDecoder().decode(VectorClock.self, from: Data(text.utf8))
    }
}

/// A `node` row as read, before its name and clock are validated.
struct NodeRow: Sendable {
    let name: String
    let revoked: Bool
    let createdAt: Int64
    let lastSyncAt: Int64?
    let lastAddress: String?
    let opsReceived: Int64
    let clock: String
    let skewMillis: Int64?
    let connected: Int64
}
