import Foundation
import GRDB
import HattamaCore
@testable import HattamaStore
import XCTest

/// Review rules at their edges: decisions racing leases, suspended coordinators, the export's view, tampering.
final class ReviewEdgeTests: XCTestCase {
    func testADecisionReleasesLeasesAndALateSubmitIsToldTheFieldIsDecided() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        let anna = try fixture.volunteer("anna")
        let lease = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        _ = try fixture.review.decide(taskID: lease.taskID, coordinatorID: fixture.coordinator.id, entry: .number(9))
        XCTAssertReviewError(.alreadyDecided(taskID: lease.taskID)) {
            try fixture.review.submit(assignmentID: lease.id, accountID: anna.id, entry: .number(9))
        }
        XCTAssertNil(try fixture.review.nextAssignment(for: anna.id))
        XCTAssertReviewError(.unknownTask(42)) {
            try fixture.review.decide(taskID: 42, coordinatorID: fixture.coordinator.id, entry: .number(1))
        }
    }

    func testASuspendedCoordinatorCanNeitherDecideNorInvite() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        let second = try fixture.review.createAccount(name: "second", passwordHash: "h", role: .coordinator, language: .en)
        let pending = try fixture.review.createInvitation(role: .volunteer, createdBy: second.id)
        try fixture.review.suspend(accountID: second.id, by: fixture.coordinator.id)
        XCTAssertReviewError(.accountSuspended("second")) {
            try fixture.review.decide(taskID: 1, coordinatorID: second.id, entry: .number(1))
        }
        XCTAssertReviewError(.accountSuspended("second")) { try fixture.review.createInvitation(role: .volunteer, createdBy: second.id) }
        // An invitation dies with its coordinator's suspension.
        XCTAssertReviewError(.invitationInvalid) {
            try fixture.review.redeemInvitation(token: pending.token, name: "dan", passwordHash: "h", language: .ru)
        }
        XCTAssertReviewError(.accountSuspended("second")) {
            try fixture.review.createSession(ReviewSession(tokenSHA256: "s", accountID: second.id, csrfToken: "c",
                                                           expiresAt: fixture.clock.now() + 60))
        }
    }

    func testTheExportViewShowsDecidedEntriesOnlyAndTheFindings() throws {
        let fixture = try ReviewFixture()
        let record = try fixture.addProtocol(accepted: ["voters_on_list": 100], uncertain: ["ballots_issued", "voters_participated"],
                                             relations: [(id: "list_covers_issued", expression: "voters_on_list >= ballots_issued")])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(2)
        try fixture.enter(.number(120), by: people[0])
        try fixture.enter(.number(120), by: people[1])
        try fixture.enter(.number(90), by: people[0])
        let review = try XCTUnwrap(try fixture.review.store.reviews()[record])
        XCTAssertEqual(review.fields["ballots_issued"]?.outcome?.value, .number(120))
        XCTAssertEqual(review.fields["ballots_issued"]?.outcome?.entries.count, 2)
        XCTAssertEqual(review.fields["voters_participated"]?.state, .open)
        XCTAssertNil(review.fields["voters_participated"]?.outcome, "an undecided field's entries stay blind")
        XCTAssertEqual(review.findings.map(\.expression), ["voters_on_list >= ballots_issued"])
        XCTAssertTrue(try fixture.review.store.hasReviewQueue())

        let folder = try TemporaryStore()
        let plain = try folder.open()
        XCTAssertFalse(try plain.hasReviewQueue())
        XCTAssertEqual(try plain.reviews(), [:])
    }

    func testAuditVerifyDetectsAnUnvoidedEntryADeletedEntryAndAnEditedFinding() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: ["voters_on_list": 100], uncertain: ["ballots_issued", "voters_participated"],
                                relations: [(id: "list_covers_issued", expression: "voters_on_list >= ballots_issued")])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(3)
        try fixture.enter(.number(120), by: people[0])
        try fixture.enter(.number(120), by: people[1])
        try fixture.enter(.number(90), by: people[2])
        try fixture.review.suspend(accountID: people[2].id, by: fixture.coordinator.id)
        let intact = try fixture.review.store.verifyAudit()
        XCTAssertTrue(intact.isIntact, "\(intact.rowProblems)")
        for edit in ["UPDATE review_entries SET counts = 1 WHERE id = 3",
                     "DELETE FROM review_entries WHERE id = 3",
                     "UPDATE review_findings SET right_value = 99",
                     "DELETE FROM review_findings",
                     "UPDATE review_accounts SET suspended_at = NULL WHERE id = \(people[2].id)"] {
            let copy = try TemporaryCopy(of: fixture)
            try copy.store.pool.write { db in try db.execute(sql: edit) }
            XCTAssertFalse(try copy.store.verifyAudit().rowProblems.isEmpty, "not detected: \(edit)")
        }
    }

    func testReopeningTheDatabaseKeepsTheQueueAndAppliesTheMigrationsOnce() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        let anna = try fixture.volunteer("anna")
        let lease = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        let reopened = try fixture.reopen()
        XCTAssertEqual(try reopened.nextAssignment(for: anna.id), lease)
        XCTAssertEqual(try reopened.appliedMigrations(),
                       ["review-v1-accounts", "review-v1-tasks", "review-v1-assignments", "review-v1-entries", "review-v1-findings"])
        XCTAssertEqual(try reopened.enqueueUncertainFields(), 0)
    }
}
