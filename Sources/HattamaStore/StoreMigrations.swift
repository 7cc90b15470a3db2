import GRDB

/// The schema, as named, append-only migrations in plain SQL. Never edit a migration that has shipped:
/// append a new one. Migrations do not depend on app types.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-images") { db in
            try db.execute(sql: """
                CREATE TABLE images (
                    sha256 TEXT PRIMARY KEY NOT NULL,
                    original_path TEXT NOT NULL,
                    byte_size INTEGER NOT NULL,
                    added_at TEXT NOT NULL,
                    stored_path TEXT NOT NULL
                );
                CREATE TABLE image_paths (
                    sha256 TEXT NOT NULL REFERENCES images(sha256),
                    path TEXT NOT NULL,
                    seen_at TEXT NOT NULL,
                    PRIMARY KEY (sha256, path)
                );
                """)
        }
        migrator.registerMigration("v1-records") { db in
            try db.execute(sql: """
                CREATE TABLE records (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    image_sha256 TEXT NOT NULL REFERENCES images(sha256),
                    page INTEGER NOT NULL,
                    form_id TEXT,
                    form_version INTEGER,
                    election TEXT,
                    precinct TEXT,
                    status TEXT NOT NULL,
                    record_json TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (image_sha256, page)
                );
                CREATE INDEX records_precinct ON records(election, precinct);
                """)
        }
        migrator.registerMigration("v1-fields") { db in
            try db.execute(sql: """
                CREATE TABLE fields (
                    record_id INTEGER NOT NULL REFERENCES records(id),
                    ordinal INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    value,
                    status TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    reasons TEXT NOT NULL,
                    box TEXT,
                    readings TEXT NOT NULL,
                    PRIMARY KEY (record_id, ordinal)
                );
                CREATE INDEX fields_key ON fields(key, status);
                """)
        }
        migrator.registerMigration("v1-failures") { db in
            try db.execute(sql: """
                CREATE TABLE failures (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL,
                    sha256 TEXT,
                    reason TEXT NOT NULL,
                    failed_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v1-events") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE
                );
                CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                """)
        }
        return migrator
    }
}
