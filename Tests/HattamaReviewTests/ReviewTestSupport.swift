import Foundation
import HattamaCore
import HattamaReview
import HattamaStore
import Hummingbird
import HummingbirdTesting
import XCTest

/// The machine's (wrong) reading of the uncertain field; no page a volunteer sees may contain it.
let machineReading = 1043
/// The accepted voters on the list, which bounds ballots_issued.
let votersOnList = 1097
let testPassword = "correct horse battery"

/// A clock the tests move forward (to let leases expire).
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return Date().addingTimeInterval(offset)
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        offset += seconds
        lock.unlock()
    }
}

/// A temporary database holding one stored page (a real PNG from testimages/) whose uncertain fields are queued
/// for review, a coordinator and three volunteers, and the review router built over it.
final class ReviewFixture: @unchecked Sendable {
    let folder: URL
    let store: SQLiteReviewStore
    let clock = MovableClock()
    let router: Router<BasicRequestContext>
    var databasePath: String { folder.appendingPathComponent("review.sqlite").path }

    /// `uncertainKeys`: the fields that need people (ballots_issued carries the machine's wrong reading).
    init(uncertainKeys: [String] = ["ballots_issued"], policy: ConflictPolicy = .thirdVolunteer) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("testimages/printed/kz-2022-president-precinct-a4-0000.png")
        let image = folder.appendingPathComponent("page.png")
        try FileManager.default.copyItem(at: source, to: image)
        let data = try Data(contentsOf: image)
        let sha256 = SHA256Digest.hex(of: Array(data))
        let protocolStore = try SQLiteProtocolStore(path: folder.appendingPathComponent("review.sqlite").path)
        let record = Self.record(path: image.path, sha256: sha256, uncertainKeys: Set(uncertainKeys))
        _ = try protocolStore.save(ImageSubmission(sha256: sha256, path: image.path, byteSize: data.count, records: [record]))
        let clock = self.clock
        store = try SQLiteReviewStore(store: protocolStore, policy: policy, agreement: .twoVolunteers, leaseDuration: 300, now: { clock.now() })
        try store.enqueueUncertainFields()
        for (name, role) in [("coord", ReviewRole.coordinator), ("alice", .volunteer), ("bob", .volunteer), ("carol", .volunteer)] {
            _ = try store.createAccount(name: name, passwordHash: ReviewPasswords.hash(testPassword, cost: 4), role: role, language: .kk)
        }
        let configuration = ReviewConfiguration(
            databasePath: folder.appendingPathComponent("review.sqlite").path, seedsFolder: source.deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("seeds"),
            bcryptCost: 4)
        router = try buildReviewRouter(configuration: configuration, store: store)
    }

    deinit {
        if let items = FileManager.default.enumerator(atPath: folder.path) {
            for case let item as String in items {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent(item).path)
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body` against the router in memory.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(client) }
    }

    static func record(path: String, sha256: String, uncertainKeys: Set<String>) -> ProtocolRecord {
        func field(_ key: String, line: Int, value: Int, y: Int) -> FieldRecord {
            let uncertain = uncertainKeys.contains(key)
            return FieldRecord(key: key, line: line, kind: .count, value: .number(value), status: uncertain ? .uncertain : .accepted,
                               confidence: uncertain ? 0.4 : 0.99, reasons: uncertain ? ["readers disagree"] : [],
                               box: ImageBox(x: 1800, y: y, width: 420, height: 90),
                               readings: [ReaderReading(reader: "tesseract", text: "\(value)", value: .number(value), confidence: 0.5)])
        }
        let fields = [
            field("voters_on_list", line: 1, value: votersOnList, y: 700),
            field("ballots_received", line: 2, value: 1130, y: 800),
            field("ballots_issued", line: 3, value: machineReading, y: 900),
            field("ballots_unused", line: 5, value: 614, y: 1100),
        ]
        let relations = [
            RelationRecord(id: "issued_within_list", expression: "voters_on_list >= ballots_issued", holds: true,
                           left: votersOnList, right: machineReading, keys: ["voters_on_list", "ballots_issued"]),
        ]
        return ProtocolRecord(form: FormReference(id: "kz-2022-president-precinct-a4", version: 1), election: "kz-2022-president",
                              precinct: "2355", source: SourceImage(path: path, sha256: sha256, page: 1, width: 2480, height: 3508),
                              registration: nil, fields: fields, relations: relations, status: .needsReview, problems: [])
    }
}

/// A signed-in test user: the raw token (cookie or bearer) and the session's CSRF token.
struct TestSession: Sendable {
    var token: String
    var csrf: String

    var cookie: HTTPFields { [.cookie: "hattama_session=\(token)"] }
    var bearer: HTTPFields { [.authorization: "Bearer \(token)"] }

    /// Cookie plus a form content type, for page POSTs.
    var formHeaders: HTTPFields {
        [.cookie: "hattama_session=\(token)", .contentType: "application/x-www-form-urlencoded"]
    }
}

extension TestClientProtocol {
    /// Signs in through the JSON API.
    func signIn(_ name: String, password: String = testPassword) async throws -> TestSession {
        try await execute(uri: "/api/v1/login", method: .post, headers: [.contentType: "application/json"],
                          body: ByteBuffer(string: #"{"name":"\#(name)","password":"\#(password)"}"#)) { response in
            XCTAssertEqual(response.status, .ok, "login of \(name)")
            let json = try jsonObject(response.body)
            return TestSession(token: json["token"] as? String ?? "", csrf: json["csrf_token"] as? String ?? "")
        }
    }

    /// The next assignment of a session through the API (nil on 204).
    func nextTask(_ session: TestSession) async throws -> [String: Any]? {
        try await execute(uri: "/api/v1/tasks/next", method: .get, headers: session.bearer) { response in
            if response.status == .noContent { return nil }
            XCTAssertEqual(response.status, .ok)
            return try jsonObject(response.body)
        }
    }

    /// The id of the next assignment of a session; fails the test when nothing is left.
    func nextAssignmentID(_ session: TestSession) async throws -> Int64 {
        let task = try await nextTask(session)
        return Int64(try XCTUnwrap(task?["assignment_id"] as? Int))
    }

    /// Posts an API entry with the bearer token; returns status and JSON body.
    func enter(_ session: TestSession, assignment: Int64, json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await execute(uri: "/api/v1/assignments/\(assignment)/entry", method: .post,
                          headers: session.bearer + [.contentType: "application/json"], body: ByteBuffer(string: json)) { response in
            (response.status, (try? jsonObject(response.body)) ?? [:])
        }
    }

    /// Posts a page form with the session cookie.
    func postForm(_ uri: String, _ session: TestSession?, _ fields: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .post,
                          headers: session?.formHeaders ?? [.contentType: "application/x-www-form-urlencoded"],
                          body: ByteBuffer(string: fields))
    }
}

func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
    return try XCTUnwrap(object as? [String: Any])
}

func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

/// The page without its random tokens (CSRF, nonces), so digits inside them cannot fake a leak.
func withoutTokens(_ html: String) -> String {
    html.replacingOccurrences(of: "[0-9a-f]{64}", with: "", options: .regularExpression)
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var fields = lhs
        fields.append(contentsOf: rhs)
        return fields
    }
}
