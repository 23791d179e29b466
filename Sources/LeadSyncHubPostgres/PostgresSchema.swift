import Logging
import PostgresNIO

/// The hub's tables in PostgreSQL, made by numbered migrations that are only ever appended (never
/// edited once released), like the SQLite hub's. `hub_schema` lists the applied versions; every
/// process migrates at start under an advisory lock, so processes starting together apply each
/// migration once.
enum PostgresSchema {
    /// Advisory lock keys (an arbitrary constant per purpose, "LS" in the high bytes).
    static let migrationLock: Int64 = 0x4C53_0001
    /// Held by every apply transaction while it assigns op log positions (see ``PostgresOpLog``).
    static let logLock: Int64 = 0x4C53_0002
    /// The first key of the two-key advisory locks an apply transaction takes per actor it
    /// advances and per lead it changes (the second key is the id's `hashtext`; see
    /// ``PostgresOpLog``). Two-key locks never collide with the one-key locks above.
    static let actorLock: Int32 = 0x4C53_0003
    static let recordLock: Int32 = 0x4C53_0004

    struct Migration {
        let version: Int
        let name: String
        let sql: [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "hub", sql: [
            "CREATE TABLE hub_meta (key text PRIMARY KEY, value text NOT NULL)",
            // Every actor whose operations were applied: its last contiguous seq and that
            // operation's full vector clock (JSON), from which the next op's deps are expanded.
            """
            CREATE TABLE actor (
                id text PRIMARY KEY,
                node text NOT NULL,
                seq bigint NOT NULL,
                clock text NOT NULL
            )
            """,
            // The op log in apply order. `pos` is assigned under the log lock, so positions commit
            // in increasing order and a reader never sees a later position without the earlier ones.
            """
            CREATE TABLE op (
                pos bigint PRIMARY KEY,
                actor text NOT NULL,
                seq bigint NOT NULL,
                record text NOT NULL,
                body text NOT NULL,
                UNIQUE (actor, seq)
            )
            """,
            "CREATE INDEX op_record ON op (record)",
            // What the replication rules read back: each lead's presence and stamps, and each
            // register's standing versions (JSON) with whether they hold a conflict. Events
            // (activities, consent, stage history) are not kept: the hub shows none, and the op
            // log has them.
            """
            CREATE TABLE lead (
                record text PRIMARY KEY,
                erased boolean NOT NULL,
                created_by text NOT NULL,
                created_hlc bigint NOT NULL,
                updated_hlc bigint NOT NULL
            )
            """,
            """
            CREATE TABLE register (
                record text NOT NULL,
                key text NOT NULL,
                versions text NOT NULL,
                conflict boolean NOT NULL,
                PRIMARY KEY (record, key)
            )
            """,
            "CREATE INDEX register_conflict ON register (record) WHERE conflict",
            """
            CREATE TABLE node (
                name text PRIMARY KEY,
                token_hash text NOT NULL,
                revoked boolean NOT NULL DEFAULT false,
                created_at bigint NOT NULL,
                last_sync_at bigint,
                last_address text,
                ops_received bigint NOT NULL DEFAULT 0,
                acked_clock text NOT NULL DEFAULT '{}',
                skew_ms bigint,
                last_seen_at bigint,
                client_protocol integer,
                waiting_ops bigint NOT NULL DEFAULT 0,
                ops_sent bigint NOT NULL DEFAULT 0,
                last_error text
            )
            """,
            // Each serving process registers itself and beats every few seconds; its open sessions
            // are counted in its own rows, so one process starting or dying never touches another's
            // counts. A process whose heartbeat is stale counts as gone.
            """
            CREATE TABLE hub_process (
                id text PRIMARY KEY,
                started_at bigint NOT NULL,
                heartbeat_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE node_connection (
                process text NOT NULL REFERENCES hub_process (id) ON DELETE CASCADE,
                node text NOT NULL,
                sessions integer NOT NULL,
                PRIMARY KEY (process, node)
            )
            """,
            """
            CREATE TABLE session (
                id bigserial PRIMARY KEY,
                node text NOT NULL,
                address text,
                started_at bigint NOT NULL,
                ended_at bigint NOT NULL,
                pushed bigint NOT NULL,
                pulled bigint NOT NULL,
                outcome text NOT NULL,
                error text
            )
            """,
            "CREATE INDEX session_by_node ON session (node, id)",
            """
            CREATE TABLE admin_token (
                name text PRIMARY KEY,
                token_hash text NOT NULL,
                created_at bigint NOT NULL,
                revoked_at bigint
            )
            """,
        ]),
        // The build a node's last `hello` named (`leadsync 0.1.0`), for the admin page.
        Migration(version: 2, name: "client-version", sql: ["ALTER TABLE node ADD COLUMN client_version text"]),
        // One row per record holding all its registers (RegisterVersionsText's object of version
        // arrays) in place of one row per register: a group commit writes each record it touches
        // once, where the row per register made the register upsert half the database's work. The
        // free space left in each page lets most rewrites stay on their page (no index entry).
        Migration(version: 3, name: "register-set", sql: [
            """
            CREATE TABLE register_set (
                record text PRIMARY KEY,
                registers text NOT NULL,
                conflict boolean NOT NULL
            ) WITH (fillfactor = 70)
            """,
            """
            INSERT INTO register_set (record, registers, conflict)
            SELECT record, '{' || string_agg(to_json(key)::text || ':' || versions, ',' ORDER BY key COLLATE "C") || '}', bool_or(conflict)
            FROM register GROUP BY record
            """,
            "DROP TABLE register",
            "CREATE INDEX register_set_conflict ON register_set (record) WHERE conflict",
        ]),
        // The log append is the one step apply transactions queue for, so it got cheaper. The
        // lock, the insert and the count of what each node sent run in one call (a VOLATILE
        // function takes a fresh snapshot per statement, so the insert still sees every earlier
        // holder's commit), which spares round trips and the hub's encoding of the rows while the
        // lock is held; the node rows stay updated under the log lock, so two transactions never
        // wait on each other's node rows. The index that finds an erased lead's operations is a
        // hash index: a B-tree over random record ids was about a third of the insert's cost. And
        // lead rows, rewritten by every group commit that touches the lead, get room to be
        // rewritten in their page (no new index entry), as register sets.
        Migration(version: 4, name: "cheaper-log-append", sql: [
            """
            CREATE FUNCTION append_op_log(
                actors text[], seqs bigint[], records text[], bodies text[], nodes text[], counts bigint[]
            ) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(\(logLock));
                INSERT INTO op (pos, actor, seq, record, body)
                SELECT (SELECT coalesce(max(pos), 0) FROM op) + e.n, e.actor, e.seq, e.record, e.body
                FROM unnest(actors, seqs, records, bodies) WITH ORDINALITY AS e(actor, seq, record, body, n);
                UPDATE node SET ops_received = node.ops_received + r.n
                FROM unnest(nodes, counts) AS r(name, n) WHERE node.name = r.name;
            END
            $$
            """,
            // Built before the B-tree goes: the build only blocks writes, the drop's exclusive lock
            // is held from the drop to this migration's commit, a moment later.
            "CREATE INDEX op_by_record ON op USING hash (record)",
            "DROP INDEX op_record",
            "ALTER TABLE lead SET (fillfactor = 70)",
        ]),
    ]

    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies the migrations `database` lacks up to version `last` (tests stop early to write
    /// rows as an earlier build did), each in its own transaction. Refuses a schema newer than this
    /// build.
    static func migrate(_ database: PostgresHubDatabase, through last: Int = latestVersion) async throws(PostgresHubError) {
        let applied = try await database.transaction { connection, logger in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS hub_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
            var versions: [Int] = []
            for try await version in try await connection.query("SELECT version FROM hub_schema", logger: logger).decode(Int.self) {
                versions.append(version)
            }
            return versions
        }
        if let newest = applied.max(), newest > latestVersion {
            throw .schemaTooNew(database: database.location.description, version: newest, known: latestVersion)
        }
        for migration in migrations where !applied.contains(migration.version) && migration.version <= last {
            try await database.transaction { connection, logger in
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                let done = try await PostgresHubDatabase.execute(
                    "SELECT 1 FROM hub_schema WHERE version = \(migration.version)", on: connection, logger: logger)
                guard done == 0 else { return }
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO hub_schema (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
            }
        }
    }
}
