import Foundation
import GRDB
import HattamaCore
@testable import HattamaStore
import XCTest

final class ReviewStoreTests: XCTestCase {
    // MARK: Enqueue

    func testEveryFieldThatIsNotAcceptedBecomesOneTaskOnce() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: ["voters_on_list": 1000], uncertain: ["ballots_issued", "voters_participated"],
                                precinct: "0042")
        try fixture.addProtocol(accepted: ["voters_on_list": 900, "ballots_issued": 800], uncertain: [])
        XCTAssertEqual(try fixture.review.enqueueUncertainFields(), 2)
        XCTAssertEqual(try fixture.review.enqueueUncertainFields(), 0, "enqueueing again creates nothing")
        try fixture.addProtocol(accepted: [:], uncertain: ["votes.a"])
        XCTAssertEqual(try fixture.review.enqueueUncertainFields(), 1, "a newly read protocol adds its fields")
        XCTAssertEqual(try fixture.review.progress().tasks, 3)
        XCTAssertEqual(try fixture.review.progress().left, 3)
    }

    // MARK: Blind double entry

    func testTwoVolunteersWhoAgreeConfirmTheField() throws {
        let fixture = try ReviewFixture()
        let record = try fixture.addProtocol(accepted: ["voters_on_list": 1000], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        let (anna, boris) = (try fixture.volunteer("anna"), try fixture.volunteer("boris"))
        let first = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        let second = try XCTUnwrap(try fixture.review.nextAssignment(for: boris.id))
        XCTAssertEqual(first.taskID, second.taskID, "one field goes to two volunteers")
        XCTAssertEqual(first.field.key, "ballots_issued")
        XCTAssertEqual(first.field.recordID, record)
        XCTAssertEqual(first.field.box, ImageBox(x: 10, y: 20, width: 80, height: 18))
        XCTAssertNil(try fixture.review.nextAssignment(for: fixture.volunteer("carla").id),
                     "a field needing two entries is never leased to a third while two leases are live")

        let waiting = try fixture.review.submit(assignmentID: first.id, accountID: anna.id, entry: .number(812))
        XCTAssertEqual(waiting.state, .waiting)
        XCTAssertTrue(try fixture.review.outcomes(recordID: record).isEmpty)
        let confirmed = try fixture.review.submit(assignmentID: second.id, accountID: boris.id, entry: .number(812))
        XCTAssertEqual(confirmed, SubmitOutcome(taskID: first.taskID, state: .confirmed, recordBecameInconsistent: false))

        let outcome = try XCTUnwrap(try fixture.review.outcomes(recordID: record)["ballots_issued"])
        XCTAssertEqual(outcome.value, .number(812))
        XCTAssertEqual(outcome.decidedBy, "agreement")
        XCTAssertEqual(outcome.entries.map(\.accountName), ["anna", "boris"])
        XCTAssertEqual(try fixture.review.progress().confirmed, 1)
        XCTAssertEqual(try fixture.review.progress().left, 0)
    }

    func testDisagreementGoesToAThirdVolunteerWhoseMatchingValueWins() throws {
        let fixture = try ReviewFixture()
        let record = try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(3)
        try fixture.enter(.number(812), by: people[0])
        XCTAssertEqual(try fixture.enter(.number(813), by: people[1]).state, .conflict)
        XCTAssertTrue(try fixture.review.conflicts().isEmpty, "a third volunteer decides first, not a coordinator")
        XCTAssertEqual(try fixture.enter(.number(812), by: people[2]).state, .confirmed)
        let outcome = try XCTUnwrap(try fixture.review.outcomes(recordID: record)["ballots_issued"])
        XCTAssertEqual(outcome.value, .number(812))
        XCTAssertEqual(outcome.decidedBy, "majority")
        XCTAssertEqual(outcome.entries.count, 3)
    }

    func testThreeDifferentValuesGoToACoordinatorWhoseDecisionIsFinal() throws {
        let fixture = try ReviewFixture()
        let record = try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(4)
        try fixture.enter(.number(812), by: people[0])
        try fixture.enter(.number(813), by: people[1])
        XCTAssertEqual(try fixture.enter(.illegible, by: people[2]).state, .conflict)
        XCTAssertNil(try fixture.review.nextAssignment(for: people[3].id), "a field waiting for a coordinator leaves the queue")
        let conflicts = try fixture.review.conflicts()
        XCTAssertEqual(conflicts.map(\.entries), [3])
        let taskID = try XCTUnwrap(conflicts.first?.taskID)

        XCTAssertReviewError(.notCoordinator(people[3].id)) {
            try fixture.review.decide(taskID: taskID, coordinatorID: people[3].id, entry: .number(1))
        }
        let decided = try fixture.review.decide(taskID: taskID, coordinatorID: fixture.coordinator.id, entry: .number(813))
        XCTAssertEqual(decided.state, .confirmed)
        XCTAssertReviewError(.alreadyDecided(taskID: taskID)) {
            try fixture.review.decide(taskID: taskID, coordinatorID: fixture.coordinator.id, entry: .number(812))
        }
        let outcome = try XCTUnwrap(try fixture.review.outcomes(recordID: record)["ballots_issued"])
        XCTAssertEqual(outcome.value, .number(813))
        XCTAssertEqual(outcome.decidedBy, "coordinator")
        XCTAssertEqual(outcome.entries.last?.isCoordinatorDecision, true)
        XCTAssertTrue(try fixture.review.conflicts().isEmpty)
    }

    func testCoordinatorPolicySendsADisagreementStraightToACoordinator() throws {
        let fixture = try ReviewFixture(policy: .coordinator)
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(3)
        try fixture.enter(.number(812), by: people[0])
        XCTAssertEqual(try fixture.enter(.number(813), by: people[1]).state, .conflict)
        XCTAssertNil(try fixture.review.nextAssignment(for: people[2].id))
        XCTAssertEqual(try fixture.review.conflicts().count, 1)
    }

    // MARK: Assignment rules

    func testAVolunteerNeverGetsTheSameFieldTwice() throws {
        let fixture = try ReviewFixture()
        for _ in 0..<4 { try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"]) }
        XCTAssertEqual(try fixture.review.enqueueUncertainFields(), 8)
        let anna = try fixture.volunteer("anna")
        var seen: [Int64] = []
        // Alternate between entering and abandoning a lease until the expiry: neither brings a field back.
        while let assignment = try fixture.review.nextAssignment(for: anna.id) {
            seen.append(assignment.taskID)
            if seen.count.isMultiple(of: 2) {
                fixture.clock.advance(301)
            } else {
                _ = try fixture.review.submit(assignmentID: assignment.id, accountID: anna.id, entry: .number(seen.count))
            }
        }
        XCTAssertEqual(seen.count, 8)
        XCTAssertEqual(Set(seen).count, 8, "every field once")
    }

    func testNextAssignmentReturnsTheLiveLeaseFirst() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"])
        try fixture.review.enqueueUncertainFields()
        let anna = try fixture.volunteer("anna")
        let first = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        fixture.clock.advance(120)
        let again = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        XCTAssertEqual(again, first, "the same lease, with the same expiry")
    }

    func testAnExpiredLeaseReturnsTheFieldToTheQueue() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(3)
        let abandoned = try XCTUnwrap(try fixture.review.nextAssignment(for: people[0].id))
        let kept = try XCTUnwrap(try fixture.review.nextAssignment(for: people[1].id))
        XCTAssertEqual(abandoned.taskID, kept.taskID)
        XCTAssertEqual(abandoned.leasedUntil, fixture.clock.now() + 300)
        XCTAssertNotEqual(try fixture.review.nextAssignment(for: people[2].id)?.taskID, abandoned.taskID)

        fixture.clock.advance(301)
        XCTAssertReviewError(.leaseExpired(assignmentID: abandoned.id)) {
            try fixture.review.submit(assignmentID: abandoned.id, accountID: people[0].id, entry: .number(5))
        }
        // people[2]'s own lease expired too; the first field is free again and is the oldest.
        let taken = try XCTUnwrap(try fixture.review.nextAssignment(for: people[2].id))
        XCTAssertEqual(taken.taskID, abandoned.taskID)
        let returning = try XCTUnwrap(try fixture.review.nextAssignment(for: people[0].id))
        XCTAssertNotEqual(returning.taskID, abandoned.taskID, "the abandoned field is never handed back to its volunteer")
    }

    func testSubmittingForAFieldNotLeasedOrTwiceIsRefused() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"])
        try fixture.review.enqueueUncertainFields()
        let (anna, boris) = (try fixture.volunteer("anna"), try fixture.volunteer("boris"))
        let assignment = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        XCTAssertReviewError(.notAssigned(assignmentID: assignment.id)) {
            try fixture.review.submit(assignmentID: assignment.id, accountID: boris.id, entry: .number(1))
        }
        XCTAssertReviewError(.notAssigned(assignmentID: 9999)) {
            try fixture.review.submit(assignmentID: 9999, accountID: anna.id, entry: .number(1))
        }
        _ = try fixture.review.submit(assignmentID: assignment.id, accountID: anna.id, entry: .number(1))
        XCTAssertReviewError(.alreadySubmitted(taskID: assignment.taskID)) {
            try fixture.review.submit(assignmentID: assignment.id, accountID: anna.id, entry: .number(2))
        }
        XCTAssertEqual(try fixture.review.history(taskID: assignment.taskID).map(\.value), [.number(1)])
        XCTAssertReviewError(.unknownTask(77)) { try fixture.review.history(taskID: 77) }
    }

    // MARK: Suspension

    func testSuspendingAVolunteerVoidsTheirUndecidedEntriesAndReturnsTheField() throws {
        let fixture = try ReviewFixture()
        let record = try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(3)
        // people[0] enters both fields; the first is then confirmed by people[1], the second is still open.
        try fixture.enter(.number(500), by: people[0])
        try fixture.enter(.number(600), by: people[0])
        XCTAssertEqual(try fixture.enter(.number(500), by: people[1]).state, .confirmed)
        XCTAssertNil(try fixture.review.nextAssignment(for: people[0].id), "nothing left for volunteer1")
        try fixture.review.createSession(ReviewSession(tokenSHA256: "abc", accountID: people[0].id, csrfToken: "csrf",
                                                       expiresAt: fixture.clock.now() + 3600))

        XCTAssertReviewError(.notCoordinator(people[1].id)) { try fixture.review.suspend(accountID: people[0].id, by: people[1].id) }
        XCTAssertEqual(try fixture.review.suspend(accountID: people[0].id, by: fixture.coordinator.id), 1)
        XCTAssertEqual(try fixture.review.suspend(accountID: people[0].id, by: fixture.coordinator.id), 0, "once is enough")
        XCTAssertNil(try fixture.review.session(tokenSHA256: "abc"), "the suspended account's sessions end")
        XCTAssertReviewError(.accountSuspended("volunteer1")) { try fixture.review.nextAssignment(for: people[0].id) }
        XCTAssertEqual(try fixture.review.account(id: people[0].id)?.isSuspended, true)

        let outcomes = try fixture.review.outcomes(recordID: record)
        XCTAssertEqual(outcomes["ballots_issued"]?.value, .number(500), "a decided field stays decided")
        XCTAssertEqual(outcomes["ballots_issued"]?.entries.map(\.counts), [true, true])
        let open = try XCTUnwrap(try fixture.review.nextAssignment(for: people[1].id))
        XCTAssertEqual(open.field.key, "voters_participated")
        XCTAssertEqual(try fixture.review.history(taskID: open.taskID).map(\.counts), [false], "kept, but no longer counting")
        _ = try fixture.review.submit(assignmentID: open.id, accountID: people[1].id, entry: .number(601))
        XCTAssertEqual(try fixture.enter(.number(601), by: people[2]).state, .confirmed,
                       "two live volunteers confirm it without the voided entry")
    }

    func testSuspensionReleasesLeasesAndReopensAFieldInConflict() throws {
        let fixture = try ReviewFixture(policy: .coordinator)
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(4)
        try fixture.enter(.number(500), by: people[0])
        XCTAssertEqual(try fixture.enter(.number(501), by: people[1]).state, .conflict)
        let leased = try XCTUnwrap(try fixture.review.nextAssignment(for: people[0].id))
        XCTAssertEqual(try fixture.review.suspend(accountID: people[0].id, by: fixture.coordinator.id), 1)
        XCTAssertTrue(try fixture.review.conflicts().isEmpty, "without the voided entry there is no conflict left")
        // The released lease on the second field and the reopened first field are both free for others.
        let next = try XCTUnwrap(try fixture.review.nextAssignment(for: people[2].id))
        XCTAssertEqual(try fixture.review.history(taskID: next.taskID).map(\.counts), [false, true])
        XCTAssertEqual(try fixture.review.nextAssignment(for: people[3].id)?.taskID, leased.taskID)
    }

    // MARK: Concurrency

    func testConcurrentVolunteersNeverShareALeaseAndLoseNoEntry() throws {
        let fixture = try ReviewFixture()
        for _ in 0..<15 { try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"]) }
        XCTAssertEqual(try fixture.review.enqueueUncertainFields(), 30)
        let people = try fixture.volunteers(200)
        // Two stores on the same file, as two server processes would have: IMMEDIATE transactions serialize them.
        let stores = [fixture.review, try fixture.reopen()]
        let log = ConcurrentLog()
        // One thread per volunteer (not a pool sized to the cores), as 200 server connections would be.
        let done = DispatchGroup()
        for (index, person) in people.enumerated() {
            let store = stores[index % 2]
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                do {
                    while let assignment = try store.nextAssignment(for: person.id) {
                        log.record(lease: "\(assignment.taskID)/\(person.id)")
                        _ = try store.submit(assignmentID: assignment.id, accountID: person.id,
                                             entry: .number(Int(assignment.taskID)))
                        log.recordSubmission()
                    }
                } catch {
                    log.record(failure: "\(person.name): \(error)")
                }
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success)
        let (leases, submitted, failures) = log.snapshot()
        XCTAssertEqual(failures, [])
        XCTAssertEqual(leases.count, 60, "two volunteers per field, no more")
        XCTAssertEqual(Set(leases).count, 60, "nobody got a field twice")
        XCTAssertEqual(submitted, 60)
        let progress = try fixture.review.progress()
        XCTAssertEqual(progress.confirmed, 30)
        XCTAssertEqual(progress.volunteers.map(\.entries).reduce(0, +), 60, "every entry was kept")
        let perTask = try fixture.review.store.pool.read { db in
            try Int.fetchAll(db, sql: "SELECT COUNT(*) FROM review_assignments GROUP BY task_id")
        }
        XCTAssertEqual(perTask, Array(repeating: 2, count: 30), "no field was leased more often than it needed")
        XCTAssertTrue(try fixture.review.store.verifyAudit().isIntact)
    }

    // MARK: Relations

    func testAConfirmedValueThatBreaksARelationMakesTheRecordAFinding() throws {
        let fixture = try ReviewFixture()
        let relations = [(id: "list_covers_issued", expression: "voters_on_list >= ballots_issued"),
                         (id: "participated_within_issued", expression: "voters_participated <= ballots_issued"),
                         (id: "votes_add_up", expression: "voters_participated == sum(votes.*)")]
        let record = try fixture.addProtocol(accepted: ["voters_on_list": 1000, "votes.a": 300, "votes.b": 200],
                                             uncertain: ["ballots_issued", "voters_participated"], relations: relations)
        try fixture.review.enqueueUncertainFields()
        let (anna, boris) = (try fixture.volunteer("anna"), try fixture.volunteer("boris"))
        let issued = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        XCTAssertEqual(issued.field.key, "ballots_issued")
        XCTAssertEqual(issued.field.upperBound, 1000, "no more ballots issued than voters on the list")
        _ = try fixture.review.submit(assignmentID: issued.id, accountID: anna.id, entry: .number(1200))
        let confirmed = try fixture.enter(.number(1200), by: boris)
        XCTAssertEqual(confirmed.state, .confirmed)
        XCTAssertTrue(confirmed.recordBecameInconsistent, "1200 issued on a list of 1000, confirmed by two people")

        let participated = try XCTUnwrap(try fixture.review.nextAssignment(for: anna.id))
        XCTAssertEqual(participated.field.upperBound, 1200, "bounded by the confirmed ballots issued")
        _ = try fixture.review.submit(assignmentID: participated.id, accountID: anna.id, entry: .number(500))
        XCTAssertFalse(try fixture.enter(.number(500), by: boris).recordBecameInconsistent, "500 = 300 + 200 holds")
        let findings = try fixture.review.findings(recordID: record)
        XCTAssertEqual(findings.map(\.relationID), ["list_covers_issued"])
        XCTAssertEqual(findings.first.map { [$0.left, $0.right] }, [1000, 1200])
    }

    func testUpperBoundIsUnknownWhileTheBoundingFieldIsUncertain() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["voters_on_list", "ballots_issued"],
                                relations: [(id: "list_covers_issued", expression: "voters_on_list >= ballots_issued")])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(3)
        XCTAssertNil(try fixture.review.nextAssignment(for: people[0].id)?.field.upperBound)
    }

    // MARK: Audit

    func testAuditVerifyDetectsAnEditedEntryRow() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(2)
        try fixture.enter(.number(812), by: people[0])
        try fixture.enter(.number(812), by: people[1])
        try fixture.enter(.number(77), by: people[0])
        XCTAssertEqual(try fixture.review.store.verifyAudit().rowProblems, [])
        XCTAssertTrue(try fixture.review.store.verifyAudit().isIntact)

        try fixture.review.store.pool.write { db in
            try db.execute(sql: "UPDATE review_entries SET value_number = 813 WHERE id = 1")
        }
        let report = try fixture.review.store.verifyAudit()
        XCTAssertFalse(report.isIntact)
        XCTAssertTrue(report.rowProblems.contains { $0.detail.contains("entry 1") }, "\(report.rowProblems)")
    }

    func testAuditVerifyDetectsForgedDecisionsAccountsAndVoids() throws {
        let fixture = try ReviewFixture()
        try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued", "voters_participated"])
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(2)
        try fixture.enter(.number(812), by: people[0])
        try fixture.enter(.number(812), by: people[1])
        try fixture.enter(.number(5), by: people[0])
        XCTAssertTrue(try fixture.review.store.verifyAudit().isIntact)
        let edits = [
            "UPDATE review_tasks SET final_number = 900 WHERE id = 1",
            "UPDATE review_accounts SET role = 'coordinator' WHERE id = \(people[0].id)",
            "UPDATE review_entries SET counts = 0 WHERE id = 3",
            "INSERT INTO review_entries (task_id, account_id, value_kind, value_number, entered_at) VALUES (2, 2, 'number', 5, 'x')",
            "UPDATE review_tasks SET state = 'confirmed', final_kind = 'number', final_number = 5, decided_by = 'agreement' WHERE id = 2",
            "INSERT INTO review_accounts (name, password_hash, role, language, created_at) VALUES ('mallory', 'h', 'coordinator', 'en', 'x')",
            "UPDATE review_tasks SET key = 'voters_on_list' WHERE id = 2",
            "UPDATE review_tasks SET state = 'conflict' WHERE id = 2",
        ]
        for edit in edits {
            let copy = try TemporaryCopy(of: fixture)
            try copy.store.pool.write { db in try db.execute(sql: edit) }
            XCTAssertFalse(try copy.store.verifyAudit().rowProblems.isEmpty, "not detected: \(edit)")
        }
    }

    // MARK: Progress

    func testProgressCountsAgreementPerVolunteerAndOverall() throws {
        let fixture = try ReviewFixture()
        for _ in 0..<2 { try fixture.addProtocol(accepted: [:], uncertain: ["ballots_issued"]) }
        try fixture.review.enqueueUncertainFields()
        let people = try fixture.volunteers(3)
        // Field 1: 0 and 1 agree. Field 2: 0 and 1 disagree, 2 sides with 1.
        try fixture.enter(.number(10), by: people[0])
        fixture.clock.advance(1800)
        try fixture.enter(.number(10), by: people[1])
        try fixture.enter(.number(20), by: people[0])
        try fixture.enter(.number(21), by: people[1])
        try fixture.enter(.number(21), by: people[2])
        let progress = try fixture.review.progress()
        XCTAssertEqual(progress.tasks, 2)
        XCTAssertEqual(progress.confirmed, 2)
        XCTAssertEqual(progress.left, 0)
        XCTAssertEqual(progress.agreementRate, 0.5, "first two entries agreed on one field of two")
        let byName = Dictionary(uniqueKeysWithValues: progress.volunteers.map { ($0.name, $0) })
        XCTAssertEqual(byName["volunteer1"]?.entries, 2)
        XCTAssertEqual(byName["volunteer1"]?.agreementRate, 0.5)
        XCTAssertEqual(byName["volunteer2"]?.agreementRate, 1)
        XCTAssertEqual(byName["volunteer3"]?.agreementRate, 1)
        XCTAssertEqual(byName["volunteer1"]?.entriesPerHour ?? 0, 4, accuracy: 0.01, "2 entries in half an hour")
        XCTAssertNil(byName["coordinator"], "coordinators who entered nothing are not listed")
    }

    // MARK: Accounts, invitations, sessions

    func testAccountsInvitationsAndSessions() throws {
        let fixture = try ReviewFixture()
        let review = fixture.review
        XCTAssertReviewError(.nameTaken("Coordinator")) {
            try review.createAccount(name: "Coordinator", passwordHash: "h", role: .volunteer, language: .en)
        }
        let anna = try fixture.volunteer("anna")
        XCTAssertReviewError(.notCoordinator(anna.id)) { try review.createInvitation(role: .volunteer, createdBy: anna.id) }
        let invitation = try review.createInvitation(role: .volunteer, createdBy: fixture.coordinator.id)
        XCTAssertEqual(invitation.token.count, 64)
        XCTAssertReviewError(.nameTaken("anna")) {
            try review.redeemInvitation(token: invitation.token, name: "anna", passwordHash: "h", language: .kk)
        }
        let boris = try review.redeemInvitation(token: invitation.token, name: "boris", passwordHash: "h", language: .kk)
        XCTAssertEqual(boris.role, .volunteer)
        XCTAssertReviewError(.invitationInvalid) {
            try review.redeemInvitation(token: invitation.token, name: "carla", passwordHash: "h", language: .kk)
        }
        XCTAssertReviewError(.invitationInvalid) {
            try review.redeemInvitation(token: "nonsense", name: "carla", passwordHash: "h", language: .kk)
        }
        XCTAssertEqual(try review.account(named: "boris")?.id, boris.id)
        XCTAssertEqual(try review.accounts().map(\.name), ["coordinator", "anna", "boris"])
        try review.setLanguage(.en, accountID: boris.id)
        XCTAssertEqual(try review.account(id: boris.id)?.language, .en)

        let session = ReviewSession(tokenSHA256: "t1", accountID: boris.id, csrfToken: "c1", expiresAt: fixture.clock.now() + 60)
        try review.createSession(session)
        XCTAssertEqual(try review.session(tokenSHA256: "t1"), session)
        fixture.clock.advance(61)
        XCTAssertNil(try review.session(tokenSHA256: "t1"), "expired")
        try review.createSession(ReviewSession(tokenSHA256: "t2", accountID: boris.id, csrfToken: "c2",
                                               expiresAt: fixture.clock.now() + 60))
        try review.deleteSession(tokenSHA256: "t2")
        XCTAssertNil(try review.session(tokenSHA256: "t2"), "logged out")
        XCTAssertTrue(try review.store.verifyAudit().isIntact)
    }
}

/// A copy of a fixture's database (and its images), so a test can tamper with it and keep the original.
final class TemporaryCopy {
    let temp: TemporaryStore
    let store: SQLiteProtocolStore

    init(of fixture: ReviewFixture) throws {
        let temp = try TemporaryStore()
        let path = temp.databasePath
        try fixture.review.store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
        try? FileManager.default.copyItem(atPath: fixture.temp.databasePath + ".images", toPath: path + ".images")
        self.temp = temp
        store = try SQLiteProtocolStore(path: path)
    }
}

/// What concurrent volunteers did, collected under a lock.
final class ConcurrentLog: @unchecked Sendable {
    private let lock = NSLock()
    private var leases: [String] = []
    private var submitted = 0
    private var failures: [String] = []

    func record(lease: String) { lock.withLock { leases.append(lease) } }
    func recordSubmission() { lock.withLock { submitted += 1 } }
    func record(failure: String) { lock.withLock { failures.append(failure) } }
    func snapshot() -> (leases: [String], submitted: Int, failures: [String]) { lock.withLock { (leases, submitted, failures) } }
}
