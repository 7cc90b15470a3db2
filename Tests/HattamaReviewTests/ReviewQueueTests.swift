import Foundation
import HattamaReview
import HTTPTypes
import HattamaStore
import Hummingbird
import HummingbirdTesting
import XCTest

/// The volunteer's side: the review page, crops, blind double entry and what may not be submitted.
final class ReviewQueueTests: XCTestCase {
    func testReviewPageShowsTheFieldButNeverTheMachineReading() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            try await client.execute(uri: "/review", method: .get, headers: alice.cookie) { response in
                XCTAssertEqual(response.status, .ok)
                let html = text(response.body)
                for id in ["id=\"entry\"", "id=\"submit\"", "id=\"illegible\"", "id=\"not-protocol\"", "id=\"crop\"", "autofocus"] {
                    XCTAssertTrue(html.contains(id), id)
                }
                XCTAssertTrue(html.contains("Сайлау бюллетеньдерін алған сайлаушылар саны"), "Kazakh label")
                XCTAssertTrue(html.contains("Число избирателей, получивших избирательные бюллетени"), "Russian label")
                XCTAssertFalse(withoutTokens(html).contains("\(machineReading)"), "the machine's reading leaks into the page")
            }
            let task = try await client.nextTask(alice)
            XCTAssertNil(task?["value"])
            let json = try JSONSerialization.data(withJSONObject: task ?? [:])
            XCTAssertFalse(String(decoding: json, as: UTF8.self).contains("\(machineReading)"), "nor into the API")
            XCTAssertEqual(task?["upper_bound"] as? Int, votersOnList)
            XCTAssertEqual((task?["field"] as? [String: Any])?["key"] as? String, "ballots_issued")
        }
    }

    func testCropsServeRealPixelsOnlyToTheHolder() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice"), bob = try await client.signIn("bob")
            let next = try await client.nextTask(alice)
            let task = try XCTUnwrap(next)
            let cropURL = try XCTUnwrap(task["crop_url"] as? String), rowURL = try XCTUnwrap(task["row_url"] as? String)
            for uri in [cropURL, rowURL] {
                try await client.execute(uri: uri, method: .get, headers: alice.cookie) { response in
                    XCTAssertEqual(response.status, .ok, uri)
                    XCTAssertEqual(response.headers[.contentType], "image/png")
                    XCTAssertEqual(Array(response.body.readableBytesView.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
                    XCTAssertGreaterThan(response.body.readableBytes, 500)
                }
                try await client.execute(uri: uri, method: .get, headers: bob.cookie) { response in
                    XCTAssertEqual(response.status, .notFound, "another volunteer's crop")
                }
                try await client.execute(uri: uri, method: .get) { response in
                    XCTAssertEqual(response.status, .seeOther, "no session")
                }
            }
        }
    }

    func testTwoAgreeingVolunteersConfirmTheField() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice"), bob = try await client.signIn("bob")
            let first = try await client.nextAssignmentID(alice)
            let second = try await client.nextAssignmentID(bob)
            XCTAssertNotEqual(first, second)
            let (status1, answer1) = try await client.enter(alice, assignment: Int64(first), json: #"{"value": 516}"#)
            XCTAssertEqual(status1, .ok)
            XCTAssertEqual(answer1["state"] as? String, "waiting")
            let (status2, answer2) = try await client.enter(bob, assignment: Int64(second), json: #"{"value": "516"}"#)
            XCTAssertEqual(status2, .ok)
            XCTAssertEqual(answer2["state"] as? String, "confirmed")
            let aliceNext = try await client.nextTask(alice)
            XCTAssertNil(aliceNext, "nothing left: 204")
            XCTAssertEqual(try fixture.store.outcomes(recordID: 1)["ballots_issued"]?.value, .number(516))
        }
    }

    func testPageFlowSubmitsWithEnterAndMovesToTheNextField() async throws {
        let fixture = try ReviewFixture(uncertainKeys: ["ballots_issued", "ballots_unused"])
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            let first = try await client.nextAssignmentID(alice)
            let submitted = try await client.postForm("/review/\(first)", alice, "csrf=\(alice.csrf)&value=516")
            XCTAssertEqual(submitted.status, .seeOther)
            XCTAssertEqual(submitted.headers[.location], "/review")
            let second = try await client.nextAssignmentID(alice)
            XCTAssertNotEqual(first, second)
            let marked = try await client.postForm("/review/\(second)", alice, "csrf=\(alice.csrf)&mark=illegible")
            XCTAssertEqual(marked.status, .seeOther)
            try await client.execute(uri: "/review", method: .get, headers: alice.cookie) { response in
                XCTAssertTrue(text(response.body).contains("id=\"nothing-left\""), "a volunteer never gets a field twice")
            }
        }
    }

    func testCannotSubmitForAnotherVolunteersFieldOrTwice() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice"), bob = try await client.signIn("bob")
            let assignment = try await client.nextAssignmentID(alice)
            let (stolen, stolenAnswer) = try await client.enter(bob, assignment: assignment, json: #"{"value": 516}"#)
            XCTAssertEqual(stolen, .conflict, "bob does not hold alice's field")
            XCTAssertNotNil(stolenAnswer["error"] as? String)
            let page = try await client.postForm("/review/\(assignment)", bob, "csrf=\(bob.csrf)&value=516")
            XCTAssertEqual(page.status, .conflict)

            let (once, _) = try await client.enter(alice, assignment: assignment, json: #"{"value": 516}"#)
            XCTAssertEqual(once, .ok)
            let (twice, twiceAnswer) = try await client.enter(alice, assignment: assignment, json: #"{"value": 517}"#)
            XCTAssertEqual(twice, .conflict, "a second entry for the same field")
            XCTAssertNotNil(twiceAnswer["error"] as? String)
            XCTAssertEqual(try fixture.store.history(taskID: 1).count, 1, "bob's and the second entry never reached the store")
        }
    }

    func testBadValuesAreRefusedWithTheReasonBeforeTheStore() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            let assignment = try await client.nextAssignmentID(alice)
            let cases: [(String, String)] = [
                (#"{"value": "12a"}"#, "not a number"),
                (#"{"value": -5}"#, "negative"),
                (#"{"value": "-5"}"#, "negative"),
                (#"{"value": 12.5}"#, "not a number"),
                (#"{"value": true}"#, "not a number"),
                (#"{"value": 5000}"#, "at most \(votersOnList)"),
                (#"{"value": 99999999999}"#, "at most \(votersOnList)"),
                (#"{"mark": "blurry"}"#, "unknown mark"),
                (#"{}"#, "nothing entered"),
                ("not json", "JSON"),
            ]
            for (body, reason) in cases {
                let (status, answer) = try await client.enter(alice, assignment: assignment, json: body)
                XCTAssertEqual(status, .badRequest, body)
                XCTAssertTrue((answer["error"] as? String ?? "").contains(reason), "\(body): \(answer)")
            }
            let page = try await client.postForm("/review/\(assignment)", alice, "csrf=\(alice.csrf)&value=abc")
            XCTAssertEqual(page.status, .badRequest)
            XCTAssertTrue(text(page.body).contains("«abc» сан емес"), "the page says why, in the volunteer's language")
            XCTAssertTrue(text(page.body).contains("id=\"entry\""), "and shows the field again")
            let above = try await client.postForm("/review/\(assignment)", alice, "csrf=\(alice.csrf)&value=1500")
            XCTAssertEqual(above.status, .badRequest)
            XCTAssertTrue(text(above.body).contains("\(votersOnList)"))
            XCTAssertEqual(try fixture.store.history(taskID: 1).count, 0, "nothing reached the store")
            XCTAssertTrue(text(above.body).contains("name=\"confirm\" value=\"1500\""),
                          "the page offers to take 1500 if typed again (the protocol may really say it)")
            let (status, answer) = try await client.enter(alice, assignment: assignment, json: #"{"value": 516}"#)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(answer["state"] as? String, "waiting")
        }
    }

    /// A protocol may really state more than its bound (more ballots issued than voters on the list: the very
    /// thing observers look for). Refused once, the value is taken when the person insists.
    func testAValueAboveTheBoundIsTakenWhenThePersonInsists() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            let assignment = try await client.nextAssignmentID(alice)
            let (refused, _) = try await client.enter(alice, assignment: assignment, json: #"{"value": 1500}"#)
            XCTAssertEqual(refused, .badRequest)
            let typedAgain = try await client.postForm("/review/\(assignment)", alice,
                                                       "csrf=\(alice.csrf)&value=1500&confirm=1500")
            XCTAssertEqual(typedAgain.status, .seeOther)
            XCTAssertEqual(try fixture.store.history(taskID: 1).map(\.value), [.number(1500)])

            let bob = try await client.signIn("bob")
            let other = try await client.nextAssignmentID(bob)
            let (insisted, answer) = try await client.enter(bob, assignment: other, json: #"{"value": 1500, "confirm": true}"#)
            XCTAssertEqual(insisted, .ok, "the API takes it with confirm: true")
            XCTAssertEqual(answer["state"] as? String, "confirmed")
        }
    }

    func testCSRFIsNeededWithTheCookieButNotWithABearerToken() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            let assignment = try await client.nextAssignmentID(alice)
            let page = try await client.postForm("/review/\(assignment)", alice, "value=516")
            XCTAssertEqual(page.status, .forbidden)
            let wrong = try await client.postForm("/review/\(assignment)", alice, "value=516&csrf=\(String(repeating: "0", count: 64))")
            XCTAssertEqual(wrong.status, .forbidden)
            let uri = "/api/v1/assignments/\(assignment)/entry"
            try await client.execute(uri: uri, method: .post, headers: alice.cookie + [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"value": 516}"#)) { response in
                XCTAssertEqual(response.status, .forbidden)
                XCTAssertTrue((try jsonObject(response.body)["error"] as? String ?? "").contains("CSRF"))
            }
            let csrfHeader = try XCTUnwrap(HTTPField.Name("X-CSRF-Token"))
            try await client.execute(uri: uri, method: .post,
                                     headers: alice.cookie + [.contentType: "application/json", csrfHeader: alice.csrf],
                                     body: ByteBuffer(string: #"{"value": 516}"#)) { response in
                XCTAssertEqual(response.status, .ok)
            }
        }
    }

    func testExpiredLeaseIsGone() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            let assignment = try await client.nextAssignmentID(alice)
            fixture.clock.advance(301)
            let (status, answer) = try await client.enter(alice, assignment: assignment, json: #"{"value": 516}"#)
            XCTAssertEqual(status, .gone)
            XCTAssertTrue((answer["error"] as? String ?? "").contains("expired"))
        }
    }

    func testUnknownRoutesAndOversizedBodies() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/no/such/page", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertTrue(response.headers[.contentType]?.hasPrefix("text/html") ?? false)
            }
            try await client.execute(uri: "/api/v1/nothing", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertNotNil(try jsonObject(response.body)["error"] as? String)
            }
            let alice = try await client.signIn("alice")
            try await client.execute(uri: "/crops/abc.png", method: .get, headers: alice.cookie) { response in
                XCTAssertEqual(response.status, .notFound)
            }
            let big = ByteBuffer(string: #"{"name":"alice","password":""# + String(repeating: "x", count: 20_000) + #""}"#)
            try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"], body: big) { response in
                XCTAssertEqual(response.status, .contentTooLarge)
                XCTAssertNotNil(try jsonObject(response.body)["error"] as? String)
            }
            let form = try await client.postForm("/login", nil, "name=alice&password=" + String(repeating: "x", count: 20_000))
            XCTAssertEqual(form.status, .contentTooLarge)
        }
    }
}
