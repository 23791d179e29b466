import GRDB

extension Store {
    /// Named migrations; never edit a shipped one, add a new one. `v1-replica` is the first shipped schema.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-replica") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

                -- Every actor whose operations were applied: its last contiguous seq and that
                -- operation's full vector clock (JSON), from which the next op's deps are expanded.
                CREATE TABLE actor (
                    pk INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    node TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    clock TEXT NOT NULL
                );

                -- The op log in apply order (pos), which is causal; body is the op's wire JSON.
                CREATE TABLE op (
                    pos INTEGER PRIMARY KEY,
                    actor INTEGER NOT NULL REFERENCES actor(pk),
                    seq INTEGER NOT NULL,
                    record TEXT NOT NULL,
                    hlc INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    body TEXT NOT NULL,
                    UNIQUE (actor, seq)
                );
                CREATE INDEX op_record ON op(record);

                -- Materialised leads: the winning value of every register.
                CREATE TABLE lead (
                    pk INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    first_name TEXT, last_name TEXT, email TEXT, phone TEXT, company TEXT,
                    job_title TEXT, street TEXT, postal_code TEXT, city TEXT, region TEXT,
                    country TEXT, website TEXT, source TEXT, event TEXT, owner TEXT, kind TEXT,
                    custom TEXT NOT NULL DEFAULT '{}',
                    stage TEXT NOT NULL DEFAULT 'lead',
                    tags TEXT NOT NULL DEFAULT '[]',
                    deleted INTEGER NOT NULL DEFAULT 0,
                    merged_into TEXT,
                    erased INTEGER NOT NULL DEFAULT 0,
                    created_hlc INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    updated_hlc INTEGER NOT NULL
                );
                -- Imports and the duplicate finder match e-mails ignoring case.
                CREATE INDEX lead_email_folded ON lead(lower(email));

                -- Per-register standing writes (a multi-value register): usually one row, several
                -- while concurrent writes are unresolved.
                CREATE TABLE register (
                    lead INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    actor INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    hlc INTEGER NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (lead, key, actor, seq)
                ) WITHOUT ROWID;

                -- Registers that currently hold a conflict, so listing them needs no full scan.
                CREATE TABLE conflict (
                    lead INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    PRIMARY KEY (lead, key)
                ) WITHOUT ROWID;

                -- Append-only events: activities (notes included), consent, stage changes.
                CREATE TABLE activity (
                    lead INTEGER NOT NULL,
                    hlc INTEGER NOT NULL,
                    actor INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    text TEXT NOT NULL,
                    at INTEGER,
                    PRIMARY KEY (lead, hlc, actor, seq)
                ) WITHOUT ROWID;

                CREATE TABLE consent (
                    lead INTEGER NOT NULL,
                    hlc INTEGER NOT NULL,
                    actor INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    granted INTEGER NOT NULL,
                    how TEXT NOT NULL,
                    double_opt_in INTEGER NOT NULL,
                    at INTEGER,
                    PRIMARY KEY (lead, hlc, actor, seq)
                ) WITHOUT ROWID;

                -- Every stage write (create included), for stage history and the funnel report.
                CREATE TABLE stage_event (
                    lead INTEGER NOT NULL,
                    hlc INTEGER NOT NULL,
                    actor INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    stage TEXT NOT NULL,
                    PRIMARY KEY (lead, hlc, actor, seq)
                ) WITHOUT ROWID;

                -- Replicated settings (the rules file), winners of the registers of RecordID.settings.
                CREATE TABLE setting (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        // The op log found a lead's operations (for erasure) through an index on the record's
        // 36-character id; inserting into it at random places cost an eighth of applying an
        // operation. The lead's integer row key is a quarter of the size and compares faster.
        migrator.registerMigration("v2-op-lead") { db in
            try db.execute(sql: """
                ALTER TABLE op ADD COLUMN lead INTEGER NOT NULL DEFAULT 0;
                UPDATE op SET lead = coalesce((SELECT pk FROM lead WHERE lead.id = op.record), 0);
                DROP INDEX op_record;
                CREATE INDEX op_lead ON op(lead);
                """)
        }
        // A field register's single standing version moves into the lead row (`versions`), so
        // the common edit touches no `register` row; registers holding concurrent versions stay
        // there, marked 0 in `versions` (see `FieldVersions`).
        migrator.registerMigration("v3-lead-versions") { db in
            try db.execute(sql: """
                ALTER TABLE lead ADD COLUMN versions TEXT NOT NULL DEFAULT '{}';
                UPDATE lead SET versions = (
                    SELECT json_group_object(substr(key, 3), CASE WHEN n = 1 THEN json_array(actor, seq, hlc, value) ELSE 0 END)
                    FROM (
                        SELECT key, count(*) AS n, min(actor) AS actor, min(seq) AS seq, min(hlc) AS hlc, min(value) AS value
                        FROM register WHERE register.lead = lead.pk AND substr(register.key, 1, 2) = 'f:' GROUP BY key))
                WHERE EXISTS (SELECT 1 FROM register WHERE register.lead = lead.pk AND substr(register.key, 1, 2) = 'f:');
                DELETE FROM register WHERE substr(key, 1, 2) = 'f:' AND lead != 0
                    AND (SELECT count(*) FROM register other WHERE other.lead = register.lead AND other.key = register.key) = 1;
                """)
        }
        // Leaner rows for the two tables every operation writes. The op log drops the columns its
        // `body` already holds and nothing reads (record, hlc, action); `lead.versions` drops each
        // single version's value, which the lead row holds as the register's winner.
        migrator.registerMigration("v4-lean-rows") { db in
            try db.execute(sql: """
                ALTER TABLE op DROP COLUMN record;
                ALTER TABLE op DROP COLUMN hlc;
                ALTER TABLE op DROP COLUMN action;
                UPDATE lead SET versions = (
                    SELECT json_group_object(
                        field.key,
                        CASE WHEN field.type = 'array'
                            THEN json_array(field.value ->> 0, field.value ->> 1, field.value ->> 2) ELSE 0 END)
                    FROM json_each(lead.versions) AS field)
                WHERE versions != '{}';
                """)
        }
        // The op log's index on `lead` served only erasure, yet every operation paid for it: its
        // entries go to random places, and keeping it cost about a fifth of applying an operation
        // on a hub. Erasure, which is rare, now reads the log once per transaction instead.
        migrator.registerMigration("v5-op-unindexed-lead") { db in
            try db.execute(sql: "DROP INDEX op_lead")
        }
        // Concurrent merges can point leads at each other or form chains (see `MergeRoots`);
        // `merge_root` holds where each duplicate is shown, resolved from all pointers together.
        // Both indexes hold merged duplicates only.
        migrator.registerMigration("v6-merge-roots") { db in
            try db.execute(sql: """
                ALTER TABLE lead ADD COLUMN merge_root TEXT;
                CREATE INDEX lead_merged_into ON lead(merged_into) WHERE merged_into IS NOT NULL;
                CREATE INDEX lead_merge_root ON lead(merge_root) WHERE merge_root IS NOT NULL;
                """)
            try Store.updateMergeRoots(db)
        }
        // Search compares folded text (`SearchFold`); folding 50,000 leads per query took most
        // of a second, so each lead keeps its folded fields and notes in `search_text`, maintained
        // by triggers in plain SQL (any connection, no callback): on every write of a searchable
        // field and every note added or removed (erasure removes the notes, and with them their
        // folded copy).
        migrator.registerMigration("v7-search-fold") { db in
            try db.execute(sql: "ALTER TABLE lead ADD COLUMN search_text TEXT NOT NULL DEFAULT ''")
            try db.execute(sql: "UPDATE lead SET search_text = \(SearchFold.searchTextSQL(lead: "lead.pk", row: "lead."))")
            let refresh = "UPDATE lead SET search_text = \(SearchFold.searchTextSQL(lead: "NEW.pk", row: "NEW.")) WHERE pk = NEW.pk"
            let refreshNotes = { (row: String) in
                "UPDATE lead SET search_text = \(SearchFold.searchTextSQL(lead: "\(row).lead", row: "lead.")) WHERE pk = \(row).lead"
            }
            try db.execute(sql: """
                CREATE TRIGGER lead_search_insert AFTER INSERT ON lead BEGIN \(refresh); END;
                CREATE TRIGGER lead_search_update AFTER UPDATE OF \(SearchFold.searchedColumns.joined(separator: ", ")) ON lead
                BEGIN \(refresh); END;
                CREATE TRIGGER activity_search_insert AFTER INSERT ON activity WHEN NEW.type = 'note'
                BEGIN \(refreshNotes("NEW")); END;
                CREATE TRIGGER activity_search_delete AFTER DELETE ON activity WHEN OLD.type = 'note'
                BEGIN \(refreshNotes("OLD")); END;
                """)
        }
        // `list` shows leads in capture order by default and stops after `--limit`: without an
        // index in that order every `list --limit 50` read and sorted all leads. A lead's
        // `created_hlc` never changes, so the index costs a create one insert and edits nothing.
        migrator.registerMigration("v8-lead-created") { db in
            try db.execute(sql: "CREATE INDEX lead_created ON lead(created_hlc, id)")
        }
        // A new lead row arrives with its `search_text` (`NewLeadRow` folds it in Swift, an import
        // on its reading thread), so the insert trigger goes: its second write of every new row,
        // with thirteen `replace()` passes and a statement journal, was a fifth of an import's
        // serial work. Edits and notes keep their triggers.
        migrator.registerMigration("v9-search-text-on-insert") { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS lead_search_insert")
        }
        // An edited row gets its `search_text` from the apply path too (``ApplyContext/searchText(of:fields:custom:)``,
        // in the same UPDATE), so the update trigger goes: it wrote every edited row a second time,
        // after thirteen `replace()` passes, and was half of a fresh replica's pull at bench-sync's
        // size M. Notes keep their triggers.
        migrator.registerMigration("v10-search-text-on-update") { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS lead_search_update")
        }
        return migrator
    }

    /// The triggers of v7-search-fold that keep `search_text` current as notes come and go (v9 and
    /// v10 dropped those on lead rows: the apply path writes a row's `search_text` itself).
    static let searchTriggers = ["activity_search_insert", "activity_search_delete"]

    /// Removes the `search_text` triggers from a store nobody searches (a hub's), so its lead
    /// writes do not fold every searchable field again. The folded copies are emptied with them:
    /// no longer maintained, they would keep an erased lead's personal data.
    func dropSearchTriggers() throws(StoreError) {
        let present = try read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN (\(Self.searchTriggers.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        guard !present.isEmpty else { return }
        try write { db in
            for trigger in present { try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)") }
            try db.execute(sql: "UPDATE lead SET search_text = '' WHERE search_text != ''")
        }
    }
}
