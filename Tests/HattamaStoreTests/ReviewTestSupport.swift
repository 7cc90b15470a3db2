import Foundation
import HattamaCore
@testable import HattamaStore
import XCTest

/// A clock the test moves by hand, so leases expire without sleeping.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}

/// A temporary database with a review store over it, a coordinator, and helpers to add protocols.
final class ReviewFixture {
    let temp: TemporaryStore
    let clock = ManualClock()
    let review: SQLiteReviewStore
    let coordinator: ReviewAccount
    private var imageCount = 0

    init(policy: ConflictPolicy = .thirdVolunteer, leaseDuration: TimeInterval = 300) throws {
        temp = try TemporaryStore()
        let clock = self.clock
        review = try SQLiteReviewStore(path: temp.databasePath, policy: policy, agreement: .twoVolunteers, leaseDuration: leaseDuration,
                                       now: { clock.now() })
        coordinator = try review.createAccount(name: "coordinator", passwordHash: "$2b$hash", role: .coordinator, language: .ru)
    }

    /// Another store on the same file, as a second process or server would open it.
    func reopen(policy: ConflictPolicy = .thirdVolunteer) throws -> SQLiteReviewStore {
        let clock = self.clock
        return try SQLiteReviewStore(path: temp.databasePath, policy: policy, agreement: .twoVolunteers, now: { clock.now() })
    }

    func volunteer(_ name: String) throws -> ReviewAccount {
        try review.createAccount(name: name, passwordHash: "$2b$\(name)", role: .volunteer, language: .kk)
    }

    func volunteers(_ count: Int) throws -> [ReviewAccount] {
        try (1...count).map { try volunteer("volunteer\($0)") }
    }

    /// Saves one image with one protocol page: `accepted` fields read with certainty, `uncertain` ones for people,
    /// and the relations the page carries.
    @discardableResult
    func addProtocol(accepted: [String: Int], uncertain: [String], relations: [(id: String, expression: String)] = [],
                     precinct: String? = nil) throws -> Int64 {
        imageCount += 1
        let image = try temp.image("protocol-\(imageCount).png", content: "protocol \(imageCount)")
        var fields: [FieldRecord] = []
        var line = 0
        if let precinct {
            fields.append(FieldRecord(key: "precinct", line: line, kind: .precinctID, value: .text(precinct), status: .accepted,
                                      confidence: 0.99, reasons: [], box: ImageBox(x: 5, y: 5, width: 50, height: 10),
                                      readings: []))
            line += 1
        }
        for (key, value) in accepted.sorted(by: { $0.key < $1.key }) {
            fields.append(FieldRecord(key: key, line: line, kind: .count, value: .number(value), status: .accepted,
                                      confidence: 0.99, reasons: [], box: ImageBox(x: 10, y: 20 * line, width: 80, height: 18),
                                      readings: [ReaderReading(reader: "tesseract", text: String(value), value: .number(value),
                                                               confidence: 0.99)]))
            line += 1
        }
        for key in uncertain {
            fields.append(FieldRecord(key: key, line: line, kind: .count, value: .number(7), status: .uncertain,
                                      confidence: 0.4, reasons: ["readers_disagree"],
                                      box: ImageBox(x: 10, y: 20 * line, width: 80, height: 18),
                                      readings: [ReaderReading(reader: "tesseract", text: "7", value: .number(7), confidence: 0.4)]))
            line += 1
        }
        let relationRecords = relations.map {
            RelationRecord(id: $0.id, expression: $0.expression, holds: nil, left: nil, right: nil, keys: [])
        }
        let record = ProtocolRecord(form: FormReference(id: "kz-2022-president-precinct-a4", version: 1),
                                    election: "kz-2022-president", precinct: precinct,
                                    source: SourceImage(path: image.path, sha256: image.sha256, page: 1, width: 100, height: 400),
                                    registration: nil, fields: fields, relations: relationRecords, status: .needsReview,
                                    problems: [])
        let receipt = try review.store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size,
                                                            records: [record]))
        return try XCTUnwrap(receipt.recordIDs.first)
    }

    /// Leases the next field for `account` and enters `value` for it.
    @discardableResult
    func enter(_ value: ReviewEntryValue, by account: ReviewAccount, file: StaticString = #filePath,
               line: UInt = #line) throws -> SubmitOutcome {
        let assignment = try XCTUnwrap(try review.nextAssignment(for: account.id), "no field for \(account.name)",
                                       file: file, line: line)
        return try review.submit(assignmentID: assignment.id, accountID: account.id, entry: value)
    }
}

/// Asserts that `body` throws exactly `expected`.
func XCTAssertReviewError<T>(_ expected: ReviewError, _ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected \(expected), nothing was thrown", file: file, line: line)
    } catch let error as ReviewError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
