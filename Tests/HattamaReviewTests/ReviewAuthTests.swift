import Foundation
import HattamaReview
import HattamaStore
import Hummingbird
import HummingbirdTesting
import XCTest

/// Signing in and out, sessions, CSRF, roles and the language switch.
final class ReviewAuthTests: XCTestCase {
    func testLoginPageHasTheStableFormIDs() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/login", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                let html = text(response.body)
                for id in ["id=\"name\"", "id=\"password\"", "id=\"login\""] { XCTAssertTrue(html.contains(id), id) }
                XCTAssertTrue(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") ?? false)
            }
        }
    }

    func testFormLoginSetsAStrictHttpOnlyCookieAndWrongPasswordIsRefused() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let refused = try await client.postForm("/login", nil, "name=alice&password=wrong")
            XCTAssertEqual(refused.status, .unauthorized)
            XCTAssertTrue(text(refused.body).contains("id=\"login\""), "the form is shown again")
            XCTAssertNil(refused.headers[.setCookie])

            let unknown = try await client.postForm("/login", nil, "name=nobody&password=whatever1")
            XCTAssertEqual(unknown.status, .unauthorized)

            let accepted = try await client.postForm("/login", nil, "name=alice&password=correct+horse+battery")
            XCTAssertEqual(accepted.status, .seeOther)
            XCTAssertEqual(accepted.headers[.location], "/review")
            let cookie = try XCTUnwrap(accepted.headers[.setCookie])
            XCTAssertTrue(cookie.hasPrefix("hattama_session="))
            XCTAssertTrue(cookie.contains("HttpOnly"))
            XCTAssertTrue(cookie.contains("SameSite=Strict"))
            XCTAssertFalse(cookie.contains("Secure"), "plain HTTP on loopback unless configured")
            let token = cookie.dropFirst("hattama_session=".count).prefix { $0 != ";" }
            XCTAssertEqual(token.count, 64, "32 random bytes in hex")
            XCTAssertNil(try fixture.store.session(tokenSHA256: String(token)), "the store never keeps the raw token")
        }
    }

    func testRepeatedWrongPasswordsLockTheNameForAWhile() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            for _ in 0..<10 {
                let wrong = try await client.postForm("/login", nil, "name=alice&password=guess")
                XCTAssertEqual(wrong.status, .unauthorized)
            }
            let locked = try await client.postForm("/login", nil, "name=alice&password=correct+horse+battery")
            XCTAssertEqual(locked.status, .tooManyRequests, "even the right password waits")
            XCTAssertTrue(text(locked.body).contains("минуттан кейін"))
            try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"name":"ALICE","password":"correct horse battery"}"#)) { response in
                XCTAssertEqual(response.status, .tooManyRequests)
                XCTAssertTrue((try jsonObject(response.body)["error"] as? String ?? "").contains("too many failed sign-ins"))
            }
            _ = try await client.signIn("bob")
        }
    }

    func testCoordinatorLoginGoesToTheCoordinatorPage() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let response = try await client.postForm("/login", nil, "name=coord&password=correct+horse+battery")
            XCTAssertEqual(response.headers[.location], "/coordinator")
        }
    }

    func testLogoutNeedsCSRFAndEndsTheSession() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            let forged = try await client.postForm("/logout", alice, "")
            XCTAssertEqual(forged.status, .forbidden, "a form without the CSRF token is refused")

            let out = try await client.postForm("/logout", alice, "csrf=\(alice.csrf)")
            XCTAssertEqual(out.status, .seeOther)
            XCTAssertEqual(out.headers[.location], "/login")
            try await client.execute(uri: "/review", method: .get, headers: alice.cookie) { response in
                XCTAssertEqual(response.status, .seeOther)
                XCTAssertEqual(response.headers[.location], "/login")
            }
            try await client.execute(uri: "/api/v1/tasks/next", method: .get, headers: alice.bearer) { response in
                XCTAssertEqual(response.status, .unauthorized)
                XCTAssertNotNil(try jsonObject(response.body)["error"] as? String)
            }
        }
    }

    func testAPILoginAnswersTokenCSRFAndRole() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"name":"coord","password":"correct horse battery"}"#)) { response in
                XCTAssertEqual(response.status, .ok)
                let json = try jsonObject(response.body)
                XCTAssertEqual(json["role"] as? String, "coordinator")
                XCTAssertEqual((json["token"] as? String)?.count, 64)
                XCTAssertEqual((json["csrf_token"] as? String)?.count, 64)
                XCTAssertNotNil(response.headers[.setCookie])
            }
            try await client.execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"name":"coord","password":"nope"}"#)) { response in
                XCTAssertEqual(response.status, .unauthorized)
                XCTAssertNotNil(try jsonObject(response.body)["error"])
            }
        }
    }

    func testVolunteerCannotReachCoordinatorPagesOrAPI() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            try await client.execute(uri: "/coordinator", method: .get, headers: alice.cookie) { response in
                XCTAssertEqual(response.status, .forbidden)
            }
            try await client.execute(uri: "/api/v1/progress", method: .get, headers: alice.bearer) { response in
                XCTAssertEqual(response.status, .forbidden)
                XCTAssertNotNil(try jsonObject(response.body)["error"])
            }
            for uri in ["/coordinator/invitations", "/coordinator/suspend/3", "/coordinator/decide/1"] {
                let response = try await client.postForm(uri, alice, "csrf=\(alice.csrf)&role=coordinator&value=1")
                XCTAssertEqual(response.status, .forbidden, uri)
            }
            try await client.execute(uri: "/crops/task/1.png", method: .get, headers: alice.cookie) { response in
                XCTAssertEqual(response.status, .forbidden)
            }
            XCTAssertFalse(try fixture.store.account(named: "bob")?.isSuspended ?? true)
        }
    }

    func testNoSessionRedirectsPagesAndRefusesTheAPI() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            for uri in ["/review", "/coordinator", "/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    XCTAssertEqual(response.status, .seeOther, uri)
                    XCTAssertEqual(response.headers[.location], "/login", uri)
                }
            }
            try await client.execute(uri: "/api/v1/tasks/next", method: .get) { response in
                XCTAssertEqual(response.status, .unauthorized)
            }
            try await client.execute(uri: "/api/v1/tasks/next", method: .get, headers: [.authorization: "Bearer " + String(repeating: "a", count: 64)]) { response in
                XCTAssertEqual(response.status, .unauthorized, "an unknown token")
            }
            let response = try await client.postForm("/review/1", nil, "value=5")
            XCTAssertEqual(response.status, .unauthorized)
        }
    }

    func testLanguageSwitchPerUserAndBeforeSignIn() async throws {
        let fixture = try ReviewFixture()
        try await fixture.test { client in
            let alice = try await client.signIn("alice")
            try await client.execute(uri: "/review", method: .get, headers: alice.cookie) { response in
                XCTAssertTrue(text(response.body).contains("<html lang=\"kk\">"))
                XCTAssertTrue(text(response.body).contains("Жіберу"))
            }
            let forged = try await client.postForm("/language", alice, "language=ru")
            XCTAssertEqual(forged.status, .forbidden)
            let switched = try await client.postForm("/language", alice, "language=ru&csrf=\(alice.csrf)")
            XCTAssertEqual(switched.status, .seeOther)
            XCTAssertEqual(try fixture.store.account(named: "alice")?.language, .ru)
            try await client.execute(uri: "/review", method: .get, headers: alice.cookie) { response in
                let html = text(response.body)
                XCTAssertTrue(html.contains("<html lang=\"ru\">"))
                XCTAssertTrue(html.contains("Отправить (Enter)"))
            }
            let bad = try await client.postForm("/language", alice, "language=fr&csrf=\(alice.csrf)")
            XCTAssertEqual(bad.status, .badRequest)

            let back = try await client.postForm("/language", nil, "language=en&back=%2Finvite%2Fabc")
            XCTAssertEqual(back.headers[.location], "/invite/abc", "the switch comes back to the page it was on")
            let offsite = try await client.postForm("/language", nil, "language=en&back=%2F%2Fevil.example")
            XCTAssertEqual(offsite.headers[.location], "/", "never to another site")

            let anonymous = try await client.postForm("/language", nil, "language=en")
            let cookie = try XCTUnwrap(anonymous.headers[.setCookie])
            XCTAssertTrue(cookie.hasPrefix("hattama_lang=en"))
            try await client.execute(uri: "/login", method: .get, headers: [.cookie: "hattama_lang=en"]) { response in
                XCTAssertTrue(text(response.body).contains("Sign in"))
            }
        }
    }

    func testTranslationTableIsComplete() throws {
        XCTAssertEqual(try InterfaceText.bundled().incompleteKeys, [])
    }
}
