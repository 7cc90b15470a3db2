import Foundation
import GRDB
import HattamaCore
@testable import HattamaStore
import XCTest

final class ProtocolStoreTests: XCTestCase {
    func testSavingAnImageWritesImageRecordFieldsAndOneEvent() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        let image = try temp.image("p1.png", content: "page one")
        let receipt = try store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                                     records: [fakeRecord(path: image.path, sha256: image.sha256, precinct: "0042")]))
        XCTAssertTrue(receipt.isNew)
        XCTAssertEqual(receipt.recordIDs.count, 1)
        XCTAssertEqual(try store.rowCounts(), ["images": 1, "image_paths": 0, "records": 1, "fields": 3, "failures": 0, "events": 1])
        XCTAssertTrue(try store.hasRecords(forImage: image.sha256))
        var seen: [StoredRecord] = []
        try store.forEachRecord { seen.append($0) }
        XCTAssertEqual(seen.first?.record.precinct, "0042")
        XCTAssertEqual(seen.first?.record.fields.map(\.key), ["precinct", "voters_total", "ballots_issued"])
        // Field values keep their type: counts as integers, precinct numbers as text with leading zeros.
        let values = try store.pool.read { db in try Row.fetchAll(db, sql: "SELECT key, typeof(value) AS t FROM fields ORDER BY ordinal") }
        XCTAssertEqual(values.map { $0["t"] as String }, ["text", "integer", "null"])
    }

    func testOriginalIsCopiedReadOnlyIntoTheContentAddressedFolder() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        let image = try temp.image("scan.JPG", content: "jpeg bytes")
        _ = try store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                           records: [fakeRecord(path: image.path, sha256: image.sha256, precinct: "1")]))
        let stored = try XCTUnwrap(try store.image(sha256: image.sha256))
        let prefix = String(image.sha256.prefix(2)) + "/" + String(image.sha256.dropFirst(2).prefix(2))
        XCTAssertEqual(stored.storedPath, "\(prefix)/\(image.sha256).jpg")
        let url = store.storedImageURL(for: stored)
        XCTAssertEqual(url.path, temp.databasePath + ".images/" + stored.storedPath)
        XCTAssertEqual(try Data(contentsOf: url), Data("jpeg bytes".utf8))
        let permissions = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(permissions?.intValue, 0o444)
    }

    func testSavingTheSameImageAgainChangesNothing() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        let image = try temp.image("p1.png", content: "page one")
        let submission = ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                         records: [fakeRecord(path: image.path, sha256: image.sha256, precinct: "7")])
        XCTAssertTrue(try store.save(submission).isNew)
        let before = try store.rowCounts()
        XCTAssertFalse(try store.save(submission).isNew)
        XCTAssertFalse(try temp.open().save(submission).isNew)  // as after a restart
        XCTAssertEqual(try store.rowCounts(), before)
    }

    func testMultiPageImageKeepsOneRecordPerPage() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        let image = try temp.image("two.pdf", content: "pdf")
        let records = [1, 2].map { fakeRecord(path: image.path, sha256: image.sha256, page: $0, precinct: "10\($0)") }
        XCTAssertEqual(try store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                                      records: records)).recordIDs.count, 2)
        XCTAssertEqual(try store.rowCounts()["records"], 2)
    }

    func testDuplicatePathIsRememberedOnceAndLogged() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        let image = try temp.image("a.png", content: "same")
        let copy = try temp.image("copy-of-a.png", content: "same")
        XCTAssertEqual(image.sha256, copy.sha256)
        _ = try store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                           records: [fakeRecord(path: image.path, sha256: image.sha256, precinct: "1")],
                                           duplicatePaths: [copy.path]))
        XCTAssertFalse(try store.recordDuplicate(path: copy.path, of: image.sha256), "already known from the batch")
        let third = temp.folder.appendingPathComponent("third.png").path
        XCTAssertTrue(try store.recordDuplicate(path: third, of: image.sha256))
        XCTAssertFalse(try store.recordDuplicate(path: third, of: image.sha256))
        let counts = try store.rowCounts()
        XCTAssertEqual(counts["records"], 1)
        XCTAssertEqual(counts["image_paths"], 2)
        XCTAssertEqual(counts["events"], 3)
    }

    func testTwoImagesClaimingOnePrecinctAreBothKeptAndReportedAsAConflict() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        let first = try temp.image("first.png", content: "first photo")
        let second = try temp.image("second.png", content: "second photo")
        let other = try temp.image("other.png", content: "other election")
        XCTAssertEqual(try store.save(ImageSubmission(sha256: first.sha256, path: first.path, byteSize: first.size,
                                                      records: [fakeRecord(path: first.path, sha256: first.sha256, precinct: "0042")])).conflicts, [])
        let receipt = try store.save(ImageSubmission(sha256: second.sha256, path: second.path, byteSize: second.size,
                                                     records: [fakeRecord(path: second.path, sha256: second.sha256, precinct: "0042", voters: 1300)]))
        XCTAssertEqual(receipt.conflicts.count, 1)
        // The same precinct number in another election is no conflict.
        XCTAssertEqual(try store.save(ImageSubmission(sha256: other.sha256, path: other.path, byteSize: other.size,
                                                      records: [fakeRecord(path: other.path, sha256: other.sha256, precinct: "0042",
                                                                           election: "kz-2022-referendum")])).conflicts, [])
        let conflicts = try store.conflicts()
        XCTAssertEqual(conflicts, [PrecinctConflict(election: "kz-2022-president", precinct: "0042",
                                                    images: [first.sha256, second.sha256].sorted())])
        XCTAssertEqual(try store.rowCounts()["records"], 3)
    }

    func testFailuresAreKeptWithTheirReason() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        try store.recordFailure(FailedItem(path: "/data/empty.jpg", reason: "empty file (0 bytes)"))
        let rows = try store.pool.read { db in try Row.fetchAll(db, sql: "SELECT path, reason FROM failures") }
        XCTAssertEqual(rows.map { $0["reason"] as String }, ["empty file (0 bytes)"])
        XCTAssertEqual(try store.rowCounts()["events"], 1)
        XCTAssertTrue(try store.verifyAudit().isIntact)
    }

    func testStatusCounts() throws {
        let temp = try TemporaryStore()
        let store = try temp.open()
        for (i, status) in [ProtocolStatus.complete, .needsReview, .needsReview, .unreadable].enumerated() {
            let image = try temp.image("\(i).png", content: "image \(i)")
            _ = try store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                               records: [fakeRecord(path: image.path, sha256: image.sha256, precinct: "\(i)", status: status)]))
        }
        XCTAssertEqual(try store.statusCounts(), [.complete: 1, .needsReview: 2, .unreadable: 1])
    }
}
