import Foundation
import LeadSyncCore
import LeadSyncHub
import LeadSyncProtocol
import LeadSyncReplication
import Logging
import PostgresNIO

/// The hub's data in PostgreSQL: the op log, the actors' clocks, the node registry, statistics,
/// session history and admin tokens, shared by every hub process serving the same database. No
/// state that matters lives in a process: authentication reads the database on every `hello`, so a
/// revocation through one process is refused by all of them at once.
public final class PostgresHubStore: HubStore, HubAdministration {
    public let database: PostgresHubDatabase
    /// This process's row in `hub_process`; its open sessions are counted under it.
    public let processID: String
    let committer: PostgresGroupCommitter
    private let heartbeat = HeartbeatTask()

    /// How often a serving process marks itself alive, and after how long without a beat its
    /// sessions no longer count as connected.
    static let heartbeatMillis: Int64 = 2_000
    static let processTimeoutMillis: Int64 = 15_000

    /// Opens the hub in `location`, migrating its schema; refuses a database without a hub.
    public static func open(
        _ location: PostgresLocation, maxConnections: Int = 8, logger: Logger = Logger(label: "leadsync.postgres")
    ) async throws(PostgresHubError) -> PostgresHubStore {
        let database = try await PostgresHubDatabase.connect(location, maxConnections: maxConnections, logger: logger)
        do throws(PostgresHubError) {
            try await PostgresSchema.migrate(database)
            guard try await hubIDIfAny(database) != nil else { throw .notAHub(database: location.description) }
        } catch {
            await database.close()
            throw error
        }
        return PostgresHubStore(database: database)
    }

    /// Creates the hub's schema and id in `location` (an existing, empty database) and returns the
    /// hub; refuses a database that already holds one.
    public static func initialize(_ location: PostgresLocation) async throws(PostgresHubError) -> PostgresHubStore {
        let database = try await PostgresHubDatabase.connect(location, maxConnections: 2)
        do throws(PostgresHubError) {
            try await PostgresSchema.migrate(database)
            let id = "hub-" + (0..<8).map { _ in String(Int.random(in: 0..<36), radix: 36) }.joined()
            let inserted = try await database.execute(
                "INSERT INTO hub_meta (key, value) VALUES ('hub_id', \(id)) ON CONFLICT (key) DO NOTHING RETURNING 1")
            if inserted == 0 {
                throw .alreadyInitialized(
                    database: location.description, hub: try await hubIDIfAny(database) ?? "?")
            }
        } catch {
            await database.close()
            throw error
        }
        return PostgresHubStore(database: database)
    }

    private init(database: PostgresHubDatabase) {
        self.database = database
        processID = "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8))"
        committer = PostgresGroupCommitter(database: database)
    }

    /// Stops the heartbeat, forgets this process's sessions and closes the connections.
    public func close() async {
        await heartbeat.stop()
        _ = try? await database.execute("DELETE FROM hub_process WHERE id = \(processID) RETURNING 1")
        await database.close()
    }

    static func hubIDIfAny(_ database: PostgresHubDatabase) async throws(PostgresHubError) -> String? {
        try await database.connection { connection, logger in
            for try await value in try await connection.query("SELECT value FROM hub_meta WHERE key = 'hub_id'", logger: logger)
                .decode(String.self)
            {
                return value
            }
            return nil
        }
    }

    public func hubID() async throws -> String {
        guard let id = try await Self.hubIDIfAny(database) else { throw PostgresHubError.notAHub(database: database.location.description) }
        return id
    }

    /// The database server's clock in Unix milliseconds: every process compares heartbeats on
    /// one clock, whatever its own machine's says.
    static let nowSQL = "(extract(epoch from clock_timestamp()) * 1000)::bigint"

    /// Registers this process as serving (it starts with no open sessions) and starts its
    /// heartbeat; processes that stopped beating long ago are removed with their sessions. Other
    /// live processes' counts are left alone.
    public func resetConnections() async throws {
        let timeout = Self.processTimeoutMillis
        try await database.transaction { [processID] connection, logger in
            try await connection.query(
                PostgresQuery(unsafeSQL: "DELETE FROM hub_process WHERE heartbeat_at < \(Self.nowSQL) - \(timeout * 4)"),
                logger: logger)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO hub_process (id, started_at, heartbeat_at) VALUES ($1, \(Self.nowSQL), \(Self.nowSQL))
                        ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                        """, binds: Self.binds(processID)),
                logger: logger)
            try await connection.query("DELETE FROM node_connection WHERE process = \(processID)", logger: logger)
        }
        await heartbeat.start { [database, processID] in
            _ = try? await database.execute(
                PostgresQuery(
                    unsafeSQL: "UPDATE hub_process SET heartbeat_at = \(Self.nowSQL) WHERE id = $1 RETURNING 1",
                    binds: Self.binds(processID)))
        }
    }

    static func binds(_ values: String...) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }

    public func storageBytes() async throws -> Int64 {
        try await database.connection { connection, logger in
            for try await size in try await connection.query("SELECT pg_database_size(current_database())", logger: logger)
                .decode(Int64.self)
            {
                return size
            }
            return 0
        }
    }
}

/// The heartbeat's task, started once per serving process.
actor HeartbeatTask {
    private var task: Task<Void, Never>?

    func start(_ beat: @escaping @Sendable () async -> Void) {
        guard task == nil else { return }
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(PostgresHubStore.heartbeatMillis))
                await beat()
            }
        }
    }

    func stop() async {
        task?.cancel()
        await task?.value
        task = nil
    }
}

extension PostgresHubStore {
    public func clock() async throws -> VectorClock {
        try await PostgresOpLog.clock(in: database)
    }

    /// Commits the batch in this process's next group commit, by the shared rules (settings
    /// refused first: ``ReplicationRules/checkPush(_:)``); returns after the commit.
    public func apply(_ ops: [Op], bodies: [String]?, from node: NodeID) async throws(ProtocolError) -> ApplyResult {
        precondition(bodies == nil || bodies?.count == ops.count, "one body per operation")
        return try await committer.apply(IncomingBatch(ops: ops, bodies: bodies ?? ops.map(\.json), node: node)).get()
    }

    public func operationBodies(missingFrom peer: VectorClock, after: Int64, limit: Int) async throws -> [(position: Int64, body: String)] {
        try await PostgresOpLog.page(missingFrom: peer, after: after, limit: limit, in: database)
    }

    /// The per-node report of `leadsync hub status`, the same from every process.
    public func status() async throws -> HubStatus {
        let clock = try await clock()
        let nodes = try await nodes()
        let (operations, leads, conflicted) = try await database.connection { connection, logger in
            var counts: (Int64, Int64) = (0, 0)
            for try await row in try await connection.query(
                "SELECT coalesce(max(pos), 0), (SELECT count(*) FROM lead) FROM op", logger: logger
            ).decode((Int64, Int64).self) {
                counts = row
            }
            var conflicted: [String] = []
            for try await registers in try await connection.query(
                "SELECT registers FROM register_set WHERE conflict", logger: logger
            ).decode(String.self) {
                conflicted.append(registers)
            }
            return (counts.0, counts.1, conflicted)
        }
        // Which nodes' writes take part in each open conflict (winner or loser), as the SQLite hub counts them.
        var conflicts = 0
        var conflictsByNode: [NodeID: Int] = [:]
        for text in conflicted {
            for (key, versions) in try RegisterVersionsText.decodeRegisters(text) {
                guard case .field = key, !Register(versions: versions).conflicts(key.policy).isEmpty else { continue }
                conflicts += 1
                for node in Set(versions.map(\.origin.node)) { conflictsByNode[node, default: 0] += 1 }
            }
        }
        return HubStatus(
            hub: try await hubID(), operations: Int(operations), leads: Int(leads), conflicts: conflicts, clock: clock,
            nodes: nodes.map { NodeStatus(record: $0, hubClock: clock, conflicts: conflictsByNode[$0.node] ?? 0) })
    }
}

extension PostgresHubStore {
    /// The whole op log in log order as (origin, seq) pairs, one per row; lets tests compare logs
    /// and count an operation stored twice.
    public func operationLog() async throws -> [(origin: String, seq: UInt64)] {
        let rows = try await database.connection { connection, logger in
            var rows: [ActorSeq] = []
            for try await (actor, seq) in try await connection.query("SELECT actor, seq FROM op ORDER BY pos", logger: logger)
                .decode((String, Int64).self)
            {
                rows.append(ActorSeq(id: actor, seq: seq))
            }
            return rows
        }
        return rows.map { ($0.id, UInt64($0.seq)) }
    }
}
