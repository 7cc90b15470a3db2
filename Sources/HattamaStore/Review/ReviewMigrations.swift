import GRDB

/// The review queue's tables, in their own named, append-only migrations beside the store's migrator (GRDB
/// ignores migrations it does not know, so the protocol store and the review store share one database).
/// Plain SQL only; never edit a migration that has shipped: append a new one.
enum ReviewMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("review-v1-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE review_accounts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator')),
                    language TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    invitation_id INTEGER,
                    suspended_at TEXT,
                    suspended_by INTEGER
                );
                CREATE TABLE review_invitations (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    token_sha256 TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator')),
                    created_by INTEGER NOT NULL REFERENCES review_accounts(id),
                    created_at TEXT NOT NULL,
                    used_by INTEGER REFERENCES review_accounts(id),
                    used_at TEXT
                );
                CREATE TABLE review_sessions (
                    token_sha256 TEXT PRIMARY KEY NOT NULL,
                    account_id INTEGER NOT NULL REFERENCES review_accounts(id),
                    csrf_token TEXT NOT NULL,
                    expires_at REAL NOT NULL
                );
                CREATE INDEX review_sessions_account ON review_sessions(account_id);
                """)
        }
        migrator.registerMigration("review-v1-tasks") { db in
            // state: open (in the queue), conflict (waiting for a coordinator), confirmed (final).
            // needed: how many counted entries the task needs before it can be judged (2, or 3 after a
            // disagreement under the third-volunteer policy).
            try db.execute(sql: """
                CREATE TABLE review_tasks (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    record_id INTEGER NOT NULL REFERENCES records(id),
                    ordinal INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'conflict', 'confirmed')),
                    needed INTEGER NOT NULL DEFAULT 2,
                    final_kind TEXT,
                    final_number INTEGER,
                    decided_by TEXT,
                    decided_at TEXT,
                    UNIQUE (record_id, ordinal)
                );
                CREATE INDEX review_tasks_state ON review_tasks(state, id);
                """)
        }
        migrator.registerMigration("review-v1-assignments") { db in
            // state: leased (live until leased_until), submitted, expired, released (the field was decided
            // or the account suspended). One row per task and account, ever: nobody gets a field twice.
            try db.execute(sql: """
                CREATE TABLE review_assignments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id INTEGER NOT NULL REFERENCES review_tasks(id),
                    account_id INTEGER NOT NULL REFERENCES review_accounts(id),
                    leased_at TEXT NOT NULL,
                    leased_until REAL NOT NULL,
                    state TEXT NOT NULL DEFAULT 'leased' CHECK (state IN ('leased', 'submitted', 'expired', 'released')),
                    UNIQUE (task_id, account_id)
                );
                CREATE INDEX review_assignments_live ON review_assignments(state, leased_until);
                CREATE INDEX review_assignments_task ON review_assignments(task_id, state);
                CREATE INDEX review_assignments_account ON review_assignments(account_id, state);
                """)
        }
        migrator.registerMigration("review-v1-entries") { db in
            // value_kind: number (with value_number), illegible, not_a_protocol. counts = 0 once voided.
            try db.execute(sql: """
                CREATE TABLE review_entries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id INTEGER NOT NULL REFERENCES review_tasks(id),
                    assignment_id INTEGER UNIQUE REFERENCES review_assignments(id),
                    account_id INTEGER NOT NULL REFERENCES review_accounts(id),
                    value_kind TEXT NOT NULL CHECK (value_kind IN ('number', 'illegible', 'not_a_protocol')),
                    value_number INTEGER,
                    entered_at TEXT NOT NULL,
                    is_decision INTEGER NOT NULL DEFAULT 0,
                    counts INTEGER NOT NULL DEFAULT 1,
                    voided_at TEXT
                );
                CREATE INDEX review_entries_task ON review_entries(task_id, counts);
                CREATE INDEX review_entries_account ON review_entries(account_id);
                """)
        }
        migrator.registerMigration("review-v1-findings") { db in
            // Records whose relations fail once people confirmed the doubtful fields: the records and fields
            // rows stay as read (their digests are in the audit chain); the finding lives here.
            try db.execute(sql: """
                CREATE TABLE review_findings (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    record_id INTEGER NOT NULL REFERENCES records(id),
                    relation_id TEXT NOT NULL,
                    expression TEXT NOT NULL,
                    left_value INTEGER NOT NULL,
                    right_value INTEGER NOT NULL,
                    task_id INTEGER NOT NULL REFERENCES review_tasks(id),
                    found_at TEXT NOT NULL,
                    UNIQUE (record_id, relation_id)
                );
                """)
        }
        return migrator
    }
}
