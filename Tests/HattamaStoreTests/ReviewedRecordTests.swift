import HattamaCore
import XCTest
@testable import HattamaStore

/// What `hattama verify` sees of a record once people confirmed its doubtful fields.
final class ReviewedRecordTests: XCTestCase {
    func testConfirmedFieldsCarryTheirValueStatusAndThePeopleWhoConfirmedThem() throws {
        let fixture = try ReviewFixture()
        let recordID = try fixture.addProtocol(accepted: ["voters_on_list": 1000], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        for name in ["anna", "boris"] {
            let account = try fixture.volunteer(name)
            let assignment = try XCTUnwrap(try fixture.review.nextAssignment(for: account.id))
            _ = try fixture.review.submit(assignmentID: assignment.id, accountID: account.id, entry: .number(812))
        }
        let review = try XCTUnwrap(try fixture.review.store.reviews()[recordID])
        var stored: ProtocolRecord?
        try fixture.review.store.forEachRecord { if $0.id == recordID { stored = $0.record } }
        let record = try XCTUnwrap(stored).applying(review)

        let field = try XCTUnwrap(record.field("ballots_issued"))
        XCTAssertEqual(field.value, .number(812), "the machine read 7; people confirmed 812")
        XCTAssertEqual(field.status, .confirmed)
        XCTAssertEqual(field.readings.map(\.reader), ["tesseract", "person:anna", "person:boris"])
        XCTAssertEqual(record.status, .complete)
        XCTAssertEqual(record.field("voters_on_list")?.status, .accepted, "accepted fields are left as they were")
    }
}
