import Foundation
import GRDB
import HattamaCore

/// The official results tables, in their own named, append-only migrations (distinct names, so they live
/// beside the store's own migrator on the same database; GRDB ignores migrations it does not know).
enum OfficialResultsMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("official-v1-imports") { db in
            try db.execute(sql: """
                CREATE TABLE official_imports (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    election TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    file_name TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    mapping_json TEXT NOT NULL,
                    field_keys TEXT NOT NULL,
                    notes TEXT NOT NULL,
                    precinct_count INTEGER NOT NULL,
                    UNIQUE (election, version)
                );
                CREATE TABLE official_values (
                    import_id INTEGER NOT NULL REFERENCES official_imports(id),
                    precinct TEXT NOT NULL,
                    raw_precinct TEXT NOT NULL,
                    row INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    value INTEGER NOT NULL,
                    PRIMARY KEY (import_id, precinct, key)
                );
                """)
        }
        return migrator
    }
}

/// One imported version of an election's official results.
public struct OfficialImportVersion: Sendable, Equatable, Codable {
    public var id: Int64
    public var election: String
    /// 1 for the first import of the election, then one more for each changed file.
    public var version: Int
    public var fileName: String
    public var sha256: String
    public var importedAt: String
    public var precinctCount: Int
}

/// What an import did.
public struct OfficialImportReceipt: Sendable, Equatable {
    /// False when the latest version already has this file's hash (nothing was written).
    public var isNew: Bool
    public var version: OfficialImportVersion
    /// The versions before it, oldest first.
    public var earlier: [OfficialImportVersion]
}

extension SQLiteProtocolStore {
    /// Stores `results` as the next version of the election's official results, in one transaction, and
    /// logs an `official.import` event; a file identical to the latest version changes nothing.
    public func importOfficialResults(_ results: OfficialResults, election: String,
                                      mapping: ResultsMapping) throws(StoreError) -> OfficialImportReceipt {
        do {
            try OfficialResultsMigrations.migrator.migrate(pool)
        } catch {
            throw Self.storeError(error, path: path)
        }
        let at = timestamp()
        let encoder = Self.encoder()
        return try writing { db in
            let earlier = try Self.versions(db, election: election)
            if let latest = earlier.last, latest.sha256 == results.sha256 {
                return OfficialImportReceipt(isNew: false, version: latest, earlier: Array(earlier.dropLast()))
            }
            let version = (earlier.last?.version ?? 0) + 1
            try db.execute(sql: """
                INSERT INTO official_imports (election, version, file_name, sha256, imported_at, mapping_json, field_keys,
                                              notes, precinct_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [election, version, results.fileName, results.sha256, at,
                                 String(decoding: try encoder.encode(mapping), as: UTF8.self),
                                 String(decoding: try encoder.encode(results.fieldKeys), as: UTF8.self),
                                 String(decoding: try encoder.encode(results.notes), as: UTF8.self),
                                 results.precincts.count])
            let id = db.lastInsertedRowID
            for precinct in results.precincts {
                for (key, value) in precinct.values.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: """
                        INSERT INTO official_values (import_id, precinct, raw_precinct, row, key, value)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [id, precinct.id, precinct.rawID, precinct.row, key, value])
                }
            }
            try Self.appendEvent(db, at: at, kind: "official.import", subject: election,
                                 payload: OfficialImportPayload(election: election, version: version, fileName: results.fileName,
                                                                sha256: results.sha256, precincts: results.precincts.count))
            let stored = OfficialImportVersion(id: id, election: election, version: version, fileName: results.fileName,
                                               sha256: results.sha256, importedAt: at, precinctCount: results.precincts.count)
            return OfficialImportReceipt(isNew: true, version: stored, earlier: earlier)
        }
    }

    /// Every imported version, oldest first, of one election or of all.
    public func officialImports(election: String? = nil) throws(StoreError) -> [OfficialImportVersion] {
        try reading { db in
            guard try db.tableExists("official_imports") else { return [] }
            return try Self.versions(db, election: election)
        }
    }

    /// The official results of one imported version, with the mapping they were imported with.
    public func officialResults(of version: OfficialImportVersion) throws(StoreError) -> (OfficialResults, ResultsMapping) {
        try reading { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM official_imports WHERE id = ?", arguments: [version.id])
            let decoder = JSONDecoder()
            let mapping = try decoder.decode(ResultsMapping.self, from: Data((row?["mapping_json"] as String? ?? "{}").utf8))
            let keys = try decoder.decode([String].self, from: Data((row?["field_keys"] as String? ?? "[]").utf8))
            let notes = try decoder.decode([String].self, from: Data((row?["notes"] as String? ?? "[]").utf8))
            var precincts: [OfficialPrecinct] = []
            var index: [String: Int] = [:]
            for value in try Row.fetchAll(db, sql: """
                SELECT precinct, raw_precinct, row, key, value FROM official_values WHERE import_id = ? ORDER BY row, key
                """, arguments: [version.id]) {
                let id: String = value["precinct"]
                if index[id] == nil {
                    index[id] = precincts.count
                    precincts.append(OfficialPrecinct(id: id, rawID: value["raw_precinct"], row: value["row"], values: [:]))
                }
                precincts[index[id]!].values[value["key"]] = value["value"] as Int
            }
            return (OfficialResults(fileName: version.fileName, sha256: version.sha256, fieldKeys: keys,
                                    precincts: precincts, notes: notes), mapping)
        }
    }

    static func versions(_ db: Database, election: String?) throws -> [OfficialImportVersion] {
        try Row.fetchAll(db, sql: """
            SELECT id, election, version, file_name, sha256, imported_at, precinct_count FROM official_imports
            WHERE ?1 IS NULL OR election = ?1 ORDER BY election, version
            """, arguments: [election]).map { row in
            OfficialImportVersion(id: row["id"], election: row["election"], version: row["version"], fileName: row["file_name"],
                                  sha256: row["sha256"], importedAt: row["imported_at"], precinctCount: row["precinct_count"])
        }
    }
}

/// The logged content of an official import.
struct OfficialImportPayload: Codable {
    var election: String
    var version: Int
    var fileName: String
    var sha256: String
    var precincts: Int
}
