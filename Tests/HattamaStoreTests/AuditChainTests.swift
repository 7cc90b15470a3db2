import Foundation
import GRDB
@testable import HattamaStore
import XCTest

final class AuditChainTests: XCTestCase {
    /// A store with three images, a failure and a duplicate: five events.
    func filledStore() throws -> (TemporaryStore, SQLiteProtocolStore) {
        let temp = try TemporaryStore()
        let store = try temp.open()
        for i in 0..<3 {
            let image = try temp.image("\(i).png", content: "image \(i)")
            _ = try store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                               records: [fakeRecord(path: image.path, sha256: image.sha256, precinct: "\(100 + i)")]))
        }
        try store.recordFailure(FailedItem(path: "/x/broken.jpg", reason: "truncated JPEG"))
        let first = try temp.image("0.png", content: "image 0")
        try store.recordDuplicate(path: first.path + ".copy", of: first.sha256)
        return (temp, store)
    }

    func testIntactChainVerifies() throws {
        let (_, store) = try filledStore()
        let report = try store.verifyAudit()
        XCTAssertEqual(report.events, 5)
        XCTAssertTrue(report.isIntact, "\(report)")
    }

    func testEventsCannotBeUpdatedOrDeletedThroughSQL() throws {
        let (_, store) = try filledStore()
        XCTAssertThrowsError(try store.pool.write { db in try db.execute(sql: "UPDATE events SET kind = 'x' WHERE seq = 2") })
        XCTAssertThrowsError(try store.pool.write { db in try db.execute(sql: "DELETE FROM events WHERE seq = 2") })
    }

    func testEditedEventIsTheFirstBrokenLink() throws {
        let (_, store) = try filledStore()
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER events_append_only_update")
            try db.execute(sql: "UPDATE events SET payload = replace(payload, 'truncated', 'fine') WHERE seq = 4")
        }
        let report = try store.verifyAudit()
        XCTAssertEqual(report.firstBrokenLink?.seq, 4)
        XCTAssertFalse(report.isIntact)
    }

    func testDeletedEventIsDetected() throws {
        let (_, store) = try filledStore()
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER events_append_only_delete")
            try db.execute(sql: "DELETE FROM events WHERE seq = 2")
        }
        XCTAssertEqual(try store.verifyAudit().firstBrokenLink?.seq, 3)
    }

    func testEditedFieldValueIsDetected() throws {
        let (_, store) = try filledStore()
        try store.pool.write { db in
            try db.execute(sql: "UPDATE fields SET value = 9999 WHERE key = 'voters_total' AND record_id = 2")
        }
        let report = try store.verifyAudit()
        XCTAssertNil(report.firstBrokenLink)
        XCTAssertEqual(report.rowProblems.map(\.description), ["event 2: fields of record 2 were changed"])
    }

    func testEditedRecordJSONAndStatusAreDetected() throws {
        let (_, store) = try filledStore()
        try store.pool.write { db in
            try db.execute(sql: "UPDATE records SET record_json = replace(record_json, '1200', '1201') WHERE id = 1")
            try db.execute(sql: "UPDATE records SET status = 'needs_review' WHERE id = 3")
        }
        let problems = try store.verifyAudit().rowProblems.map(\.description)
        XCTAssertEqual(problems, ["event 1: record 1 was changed", "event 3: record 3 was changed"])
    }

    func testRecordInsertedBehindTheStoresBackIsDetected() throws {
        let (_, store) = try filledStore()
        try store.pool.write { db in
            let sha: String = try String.fetchOne(db, sql: "SELECT sha256 FROM images LIMIT 1")!
            try db.execute(sql: "INSERT INTO records (image_sha256, page, status, record_json, created_at) VALUES (?, 9, 'complete', '{}', 'now')",
                           arguments: [sha])
        }
        XCTAssertEqual(try store.verifyAudit().rowProblems.map(\.description), ["record 4 has no event: it was inserted outside hattama"])
    }

    func testEditedFailureIsDetected() throws {
        let (_, store) = try filledStore()
        try store.pool.write { db in try db.execute(sql: "DELETE FROM failures") }
        XCTAssertEqual(try store.verifyAudit().rowProblems.count, 1)
    }
}
