import GRDB
import LeadSyncCore

extension Store {
    /// Moves the WAL's content into the main file and truncates the WAL, e.g. before measuring size.
    public func checkpoint() throws(StoreError) {
        try mapErrors { try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
    }

    /// Copies what the WAL holds into the main file as far as readers allow, without blocking
    /// writers (a PASSIVE checkpoint), on a connection of its own: a hub runs it next to its
    /// single writer instead of making every group commit wait for the copy.
    public func passiveCheckpoint() throws(StoreError) {
        try mapErrors {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            try connection.close()
        }
    }

    /// After an erasure, the WAL may still hold pages with the erased bytes: copy it into the main
    /// file (where `secure_delete` zeroed them) and truncate it.
    func finishErasure(_ erasures: Int) throws(StoreError) {
        if erasures > 0 { try checkpoint() }
    }

    /// Checks that the database is sound: SQLite's `PRAGMA integrity_check` and
    /// `PRAGMA foreign_key_check`, then that every actor's op log holds exactly seq 1…n, as causal
    /// delivery requires. Returns the problems found, one readable line each; empty means sound.
    public func integrityCheck() throws(StoreError) -> [String] {
        try read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems += integrity.map { "integrity_check: \($0)" } }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += foreignKeys.map { row in
                "foreign_key_check: row \(row[1] as Int64? ?? -1) of \(row[0] as String? ?? "?") names a missing \(row[2] as String? ?? "?")"
            }
            let logs = try Row.fetchAll(db, sql: """
                SELECT actor.id, actor.seq, count(op.pos) AS ops, coalesce(max(op.seq), 0) AS last
                FROM actor LEFT JOIN op ON op.actor = actor.pk GROUP BY actor.pk ORDER BY actor.id
                """)
            for row in logs {
                let id: String = row["id"]
                let seq: Int64 = row["seq"]
                let ops: Int64 = row["ops"]
                let last: Int64 = row["last"]
                if ops != seq || last != seq {
                    problems.append("op log of actor \(id) holds \(ops) operations up to seq \(last), but its clock says \(seq)")
                }
            }
            return problems
        }
    }
}
