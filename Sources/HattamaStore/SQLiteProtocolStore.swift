import Foundation
import GRDB
import HattamaCore

/// The embedded store: one SQLite file in WAL mode (through a GRDB `DatabasePool`, so exports and audits read
/// while a batch writes) and the read-only image copies in `<db>.images/`.
public final class SQLiteProtocolStore: ProtocolStore {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    let vault: ImageVault
    let now: @Sendable () -> Date

    /// Opens (and creates and migrates, unless `readOnly`) the database at `path`.
    public init(path: String, readOnly: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) throws(StoreError) {
        self.path = path
        self.now = now
        vault = ImageVault(databasePath: path)
        let fileManager = FileManager.default
        let exists = fileManager.fileExists(atPath: path)
        if readOnly && !exists {
            throw .cannotOpen(path: path, detail: "no such database; create it with `hattama batch ... --db \(path)`")
        }
        if !readOnly {
            if exists && !Self.isWritable(path) { throw .readOnly(path: path) }
            let folder = (path as NSString).deletingLastPathComponent
            let folderPath = folder.isEmpty ? "." : folder
            if !fileManager.fileExists(atPath: folderPath) {
                throw .cannotOpen(path: path, detail: "the folder \(folderPath) does not exist")
            }
            if !Self.isWritable(folderPath) { throw .readOnly(path: path) }
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if !readOnly { try StoreMigrations.migrator.migrate(pool) }
        } catch {
            throw Self.storeError(error, path: path, opening: true)
        }
    }

    /// The names of the migrations applied to this database, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try reading { db in try StoreMigrations.migrator.appliedMigrations(db) }
    }

    public func storedImageURL(for image: StoredImage) -> URL { vault.url(relativePath: image.storedPath) }

    public func hasRecords(forImage sha256: String) throws(StoreError) -> Bool {
        try reading { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM records WHERE image_sha256 = ?)", arguments: [sha256]) ?? false
        }
    }

    public func image(sha256: String) throws(StoreError) -> StoredImage? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM images WHERE sha256 = ?", arguments: [sha256]).map(Self.storedImage)
        }
    }

    public func save(_ submission: ImageSubmission) throws(StoreError) -> SaveReceipt {
        if try hasRecords(forImage: submission.sha256) {
            return SaveReceipt(isNew: false, recordIDs: [], conflicts: [])
        }
        let storedPath = try vault.store(originalPath: submission.path, sha256: submission.sha256,
                                         byteSize: submission.byteSize)
        let at = timestamp()
        return try writing { db in
            // Another process may have saved it meanwhile: the check inside the transaction decides.
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM records WHERE image_sha256 = ?)",
                                 arguments: [submission.sha256]) == true {
                return SaveReceipt(isNew: false, recordIDs: [], conflicts: [])
            }
            try db.execute(sql: """
                INSERT OR IGNORE INTO images (sha256, original_path, byte_size, added_at, stored_path)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [submission.sha256, submission.path, submission.byteSize, at, storedPath])
            let encoder = Self.encoder()
            var digests: [RecordDigest] = []
            var conflicts: [PrecinctConflict] = []
            for record in submission.records {
                let json = String(decoding: try encoder.encode(record), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO records (image_sha256, page, form_id, form_version, election, precinct, status,
                                         record_json, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [submission.sha256, record.source.page, record.form?.id, record.form?.version,
                                     record.election, record.precinct, record.status.rawValue, json, at])
                let id = db.lastInsertedRowID
                var rows: [FieldRow] = []
                for (ordinal, field) in record.fields.enumerated() {
                    let row = try FieldRow(ordinal: ordinal, field: field, encoder: encoder)
                    rows.append(row)
                    try db.execute(sql: """
                        INSERT INTO fields (record_id, ordinal, key, line, value, status, confidence, reasons, box, readings)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, row.ordinal, row.key, row.line, row.value, row.status, row.confidence,
                                         row.reasons, row.box, row.readings])
                }
                digests.append(RecordDigest(id: id, page: record.source.page, status: record.status.rawValue,
                                            recordSHA256: SHA256Digest.hex(of: Array(json.utf8)),
                                            fieldsSHA256: FieldRow.digest(rows)))
                if let precinct = record.precinct {
                    let others = try String.fetchAll(db, sql: """
                        SELECT DISTINCT image_sha256 FROM records
                        WHERE precinct = ? AND election IS ? AND image_sha256 != ? ORDER BY image_sha256
                        """, arguments: [precinct, record.election, submission.sha256])
                    if !others.isEmpty {
                        conflicts.append(PrecinctConflict(election: record.election, precinct: precinct,
                                                          images: others + [submission.sha256]))
                    }
                }
            }
            try Self.appendEvent(db, at: at, kind: EventKind.imageRead, subject: submission.sha256,
                                 payload: ImageReadPayload(sha256: submission.sha256, path: submission.path,
                                                           byteSize: submission.byteSize, storedPath: storedPath,
                                                           records: digests))
            for conflict in conflicts {
                try Self.appendEvent(db, at: at, kind: EventKind.conflict, subject: conflict.precinct, payload: conflict)
            }
            for duplicate in submission.duplicatePaths where duplicate != submission.path {
                try Self.insertAlias(db, path: duplicate, sha256: submission.sha256, at: at)
            }
            return SaveReceipt(isNew: true, recordIDs: digests.map(\.id), conflicts: conflicts)
        }
    }

    public func recordFailure(_ failure: FailedItem) throws(StoreError) {
        let at = timestamp()
        try writing { db in
            try db.execute(sql: "INSERT INTO failures (path, sha256, reason, failed_at) VALUES (?, ?, ?, ?)",
                           arguments: [failure.path, failure.sha256, failure.reason, at])
            try Self.appendEvent(db, at: at, kind: EventKind.failure, subject: failure.sha256 ?? failure.path,
                                 payload: FailurePayload(id: db.lastInsertedRowID, path: failure.path,
                                                         sha256: failure.sha256, reason: failure.reason))
        }
    }

    @discardableResult
    public func recordDuplicate(path: String, of sha256: String) throws(StoreError) -> Bool {
        let at = timestamp()
        return try writing { db in try Self.insertAlias(db, path: path, sha256: sha256, at: at) }
    }

    public func conflicts() throws(StoreError) -> [PrecinctConflict] {
        try reading { db in
            try Row.fetchAll(db, sql: """
                SELECT election, precinct, group_concat(DISTINCT image_sha256) AS images FROM records
                WHERE precinct IS NOT NULL GROUP BY election, precinct
                HAVING COUNT(DISTINCT image_sha256) > 1 ORDER BY election, precinct
                """).map { row in
                let images: String = row["images"]
                return PrecinctConflict(election: row["election"], precinct: row["precinct"],
                                        images: images.split(separator: ",").map(String.init).sorted())
            }
        }
    }

    public func statusCounts() throws(StoreError) -> [ProtocolStatus: Int] {
        try reading { db in
            var counts: [ProtocolStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM records GROUP BY status") {
                if let status = ProtocolStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// Counts of rows per table, for summaries and tests.
    public func rowCounts() throws(StoreError) -> [String: Int] {
        try reading { db in
            var counts: [String: Int] = [:]
            for table in ["images", "image_paths", "records", "fields", "failures", "events"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    public func forEachRecord(_ body: (StoredRecord) throws -> Void) throws(StoreError) {
        do {
            try pool.read { db in
                let decoder = JSONDecoder()
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT r.id, r.image_sha256, r.record_json, i.original_path, i.stored_path
                    FROM records r JOIN images i ON i.sha256 = r.image_sha256 ORDER BY r.id
                    """)
                while let row = try cursor.next() {
                    let json: String = row["record_json"]
                    let record = try decoder.decode(ProtocolRecord.self, from: Data(json.utf8))
                    try body(StoredRecord(id: row["id"], imageSHA256: row["image_sha256"],
                                          originalPath: row["original_path"], storedPath: row["stored_path"],
                                          record: record))
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    public func verifyAudit() throws(StoreError) -> AuditReport {
        try reading { db in try AuditVerifier(db: db, vault: vault).run() }
    }

    // MARK: - Helpers

    /// Writable by this process, and not marked read-only for everyone (which even root respects here).
    static func isWritable(_ path: String) -> Bool {
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        return FileManager.default.isWritableFile(atPath: path) && (permissions ?? 0o200) & 0o222 != 0
    }

    static func appendEvent<T: Encodable>(_ db: Database, at: String, kind: String, subject: String, payload: T) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let prev: String = last?["hash"] ?? AuditChain.genesis
        let text = try AuditChain.canonical(payload)
        let hash = AuditChain.hash(prev: prev, seq: seq, at: at, kind: kind, subject: subject, payload: text)
        try db.execute(sql: "INSERT INTO events (seq, at, kind, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [seq, at, kind, subject, text, prev, hash])
    }

    @discardableResult
    static func insertAlias(_ db: Database, path: String, sha256: String, at: String) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO image_paths (sha256, path, seen_at) VALUES (?, ?, ?)",
                       arguments: [sha256, path, at])
        guard db.changesCount > 0 else { return false }
        try appendEvent(db, at: at, kind: EventKind.duplicate, subject: sha256,
                        payload: DuplicatePayload(sha256: sha256, path: path))
        return true
    }

    static func storedImage(_ row: Row) -> StoredImage {
        StoredImage(sha256: row["sha256"], originalPath: row["original_path"], byteSize: row["byte_size"],
                    addedAt: row["added_at"], storedPath: row["stored_path"])
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    func timestamp() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(now())
    }

    func reading<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is written, or none of it.
    func writing<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: Result<T, any Error> = .failure(StoreError.database(path: path, detail: "transaction did not run"))
                try db.inTransaction(.immediate) {
                    result = .success(try body(db))
                    return .commit
                }
                return try result.get()
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    static func storeError(_ error: any Error, path: String, opening: Bool = false) -> StoreError {
        guard let error = error as? DatabaseError else {
            return opening ? .cannotOpen(path: path, detail: "\(error)") : .database(path: path, detail: "\(error)")
        }
        switch error.resultCode {
        case .SQLITE_READONLY, .SQLITE_PERM: return .readOnly(path: path)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt(path: path, detail: error.message ?? "\(error)")
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path, detail: error.message ?? "\(error)")
        default:
            let message = error.message ?? "\(error)"
            if message.contains("no such table") {
                return .corrupt(path: path, detail: "\(message): not a Hattama database")
            }
            return .database(path: path, detail: message)
        }
    }
}
