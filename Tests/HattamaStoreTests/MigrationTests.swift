import GRDB
@testable import HattamaStore
import XCTest

final class MigrationTests: XCTestCase {
    func testMigrationsRunInOrderOnAFreshDatabase() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        XCTAssertEqual(try store.appliedMigrations(), ["v1-images", "v1-records", "v1-fields", "v1-failures", "v1-events"])
        XCTAssertEqual(try store.rowCounts(), ["images": 0, "image_paths": 0, "records": 0, "fields": 0, "failures": 0, "events": 0])
    }

    func testReopeningDoesNotRerunMigrations() throws {
        let temp = try TemporaryStore()
        let image = try temp.image("a.png", content: "a")
        _ = try temp.open().save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                                 records: [fakeRecord(path: image.path, sha256: image.sha256, precinct: "1")]))
        let reopened = try temp.open()
        XCTAssertEqual(try reopened.rowCounts()["records"], 1)
        XCTAssertEqual(try reopened.appliedMigrations().count, 5)
    }

    func testDatabaseIsInWALMode() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        let mode = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
    }

    func testReadOnlyDatabaseGivesAClearErrorAndWritesNothing() throws {
        let temp = try TemporaryStore()
        _ = try temp.open()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: temp.databasePath)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temp.databasePath) }
        XCTAssertThrowsError(try temp.open()) { error in
            XCTAssertEqual(error as? StoreError, .readOnly(path: temp.databasePath))
            XCTAssertTrue("\(error)".contains("read-only"))
        }
    }

    func testOpeningAMissingDatabaseReadOnlyTellsHowToCreateIt() throws {
        let temp = try TemporaryStore()
        XCTAssertThrowsError(try SQLiteProtocolStore(path: temp.databasePath, readOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("hattama batch"), "\(error)")
        }
    }
}
