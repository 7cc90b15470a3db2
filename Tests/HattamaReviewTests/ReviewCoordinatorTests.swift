import Foundation
import HattamaReview
import HattamaStore
import Hummingbird
import HummingbirdTesting
import XCTest

/// The coordinator's side: progress, invitations, suspensions and decisions.
final class ReviewCoordinatorTests: XCTestCase {
    func testCoordinatorPageShowsProgressAndTheProgressAPI() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let coord = try await client.signIn("coord"), alice = try await client.signIn("alice")
            let assignment = try await client.nextAssignmentID(alice)
            _ = try await client.enter(alice, assignment: assignment, json: #"{"value": 516}"#)
            try await client.execute(uri: "/coordinator", method: .get, headers: coord.cookie) { response in
                XCTAssertEqual(response.status, .ok)
                let html = text(response.body)
                XCTAssertTrue(html.contains("id=\"progress\""))
                XCTAssertTrue(html.contains("id=\"conflicts\""))
                XCTAssertTrue(html.contains("alice"))
                XCTAssertTrue(html.contains("action=\"/coordinator/suspend/"))
            }
            try await client.execute(uri: "/api/v1/progress", method: .get, headers: coord.bearer) { response in
                XCTAssertEqual(response.status, .ok)
                let json = try jsonObject(response.body)
                XCTAssertEqual(json["tasks"] as? Int, 1)
                XCTAssertEqual(json["left"] as? Int, 1)
                let volunteers = try XCTUnwrap(json["volunteers"] as? [[String: Any]])
                XCTAssertEqual(volunteers.first { $0["name"] as? String == "alice" }?["entries"] as? Int, 1)
            }
        }
    }

    func testInvitationCreatesAnAccountOnce() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let coord = try await client.signIn("coord")
            let forged = try await client.postForm("/coordinator/invitations", coord, "role=volunteer")
            XCTAssertEqual(forged.status, .forbidden)
            let created = try await client.postForm("/coordinator/invitations", coord, "role=volunteer&csrf=\(coord.csrf)")
            XCTAssertEqual(created.status, .ok)
            let html = text(created.body)
            let range = try XCTUnwrap(html.range(of: "/invite/[A-Za-z0-9_-]+", options: .regularExpression))
            let path = String(html[range])

            try await client.execute(uri: path, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertTrue(text(response.body).contains("id=\"password\""))
            }
            let short = try await client.postForm(path, nil, "name=dave&password=short")
            XCTAssertEqual(short.status, .badRequest)
            let taken = try await client.postForm(path, nil, "name=alice&password=long+enough+1")
            XCTAssertEqual(taken.status, .conflict)
            let joined = try await client.postForm(path, nil, "name=dave&password=long+enough+1")
            XCTAssertEqual(joined.status, .seeOther)
            XCTAssertEqual(joined.headers[.location], "/review")
            XCTAssertNotNil(joined.headers[.setCookie])
            XCTAssertEqual(try fixture.store.account(named: "dave")?.role, .volunteer)
            let again = try await client.postForm(path, nil, "name=erin&password=long+enough+1")
            XCTAssertEqual(again.status, .notFound, "an invitation works once")
            _ = try await client.signIn("dave", password: "long enough 1")
        }
    }

    func testSuspensionReturnsTheFieldToTheQueueAndEndsTheSession() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let coord = try await client.signIn("coord")
            let alice = try await client.signIn("alice"), bob = try await client.signIn("bob"), carol = try await client.signIn("carol")
            let aliceID = try XCTUnwrap(fixture.store.account(named: "alice")?.id)
            let a = try await client.nextAssignmentID(alice)
            _ = try await client.enter(alice, assignment: a, json: #"{"value": 999}"#)

            let suspended = try await client.postForm("/coordinator/suspend/\(aliceID)", coord, "csrf=\(coord.csrf)")
            XCTAssertEqual(suspended.status, .seeOther)
            XCTAssertEqual(suspended.headers[.location], "/coordinator?suspended=1")
            try await client.execute(uri: "/api/v1/tasks/next", method: .get, headers: alice.bearer) { response in
                XCTAssertEqual(response.status, .unauthorized, "a suspended account is signed out")
            }
            let relogin = try await client.postForm("/login", nil, "name=alice&password=correct+horse+battery")
            XCTAssertEqual(relogin.status, .unauthorized)

            let b = try await client.nextAssignmentID(bob)
            let (_, first) = try await client.enter(bob, assignment: b, json: #"{"value": 516}"#)
            XCTAssertEqual(first["state"] as? String, "waiting", "alice's entry no longer counts")
            let c = try await client.nextAssignmentID(carol)
            let (_, second) = try await client.enter(carol, assignment: c, json: #"{"value": 516}"#)
            XCTAssertEqual(second["state"] as? String, "confirmed")
        }
    }

    func testConflictIsDecidedByTheCoordinator() async throws {
        let fixture = try ReviewFixture(policy: .coordinator)
        try await fixture.test { client in
            let coord = try await client.signIn("coord")
            let alice = try await client.signIn("alice"), bob = try await client.signIn("bob")
            let a = try await client.nextAssignmentID(alice)
            let b = try await client.nextAssignmentID(bob)
            _ = try await client.enter(alice, assignment: a, json: #"{"value": 516}"#)
            let (_, answer) = try await client.enter(bob, assignment: b, json: #"{"value": 561}"#)
            XCTAssertEqual(answer["state"] as? String, "conflict")
            let taskID = try XCTUnwrap(fixture.store.conflicts().first?.taskID)

            try await client.execute(uri: "/coordinator", method: .get, headers: coord.cookie) { response in
                let html = text(response.body)
                XCTAssertTrue(html.contains("class=\"decide\""))
                XCTAssertTrue(html.contains("name=\"value\""))
                XCTAssertTrue(html.contains("/crops/task/\(taskID).png"))
            }
            try await client.execute(uri: "/crops/task/\(taskID).png", method: .get, headers: coord.cookie) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "image/png")
            }
            let absurd = try await client.postForm("/coordinator/decide/\(taskID)", coord, "csrf=\(coord.csrf)&value=500000")
            XCTAssertEqual(absurd.status, .badRequest, "coordinators get the same checks against impossible values")
            let decided = try await client.postForm("/coordinator/decide/\(taskID)", coord, "csrf=\(coord.csrf)&value=516")
            XCTAssertEqual(decided.status, .seeOther)
            XCTAssertEqual(try fixture.store.conflicts().count, 0)
            XCTAssertEqual(try fixture.store.outcomes(recordID: 1)["ballots_issued"]?.decidedBy, "coordinator")
            let again = try await client.postForm("/coordinator/decide/\(taskID)", coord, "csrf=\(coord.csrf)&value=516")
            XCTAssertEqual(again.status, .conflict, "a decision is final")
        }
    }
}
