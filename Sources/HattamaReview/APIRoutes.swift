import Foundation
import HattamaCore
import HattamaStore
import Hummingbird

/// The JSON API (docs/review-api.openapi.yaml): the same sessions and rules as the pages.
extension ReviewServices {
    func addAPIRoutes(to router: Router<BasicRequestContext>) {
        let api = router.group("/api/v1")
        api.post("/login") { request, _ in
            let body = try await BodyReader.json(LoginBody.self, of: request, limit: self.configuration.maxBodyBytes)
            guard let signed = try await self.auth.signIn(name: body.name, password: body.password) else {
                throw ReviewFailure(status: .unauthorized, message: "wrong name or password, or the account is suspended")
            }
            var response = try self.json(LoginAnswer(token: signed.token, csrfToken: signed.session.csrfToken, role: signed.account.role))
            response.setCookie(self.auth.cookie(token: signed.token))
            return response
        }
        api.post("/logout") { request, _ in
            let user = try self.requireAPIUser(request)
            try SessionAuthenticator.checkCSRF(user, formToken: nil, request: request)
            try self.withStore { () throws(ReviewError) in try self.auth.signOut(request) }
            var response = Response(status: .noContent)
            response.setCookie(self.auth.expiredCookie())
            return response
        }
        api.get("/tasks/next") { request, _ in
            let user = try self.requireAPIUser(request)
            guard let assignment = try self.nextAssignment(for: user) else { return Response(status: .noContent) }
            return try self.json(NextTaskAnswer(assignment, label: self.label(of: assignment.field)))
        }
        api.post("/assignments/{id}/entry") { request, context in
            let user = try self.requireAPIUser(request)
            try SessionAuthenticator.checkCSRF(user, formToken: nil, request: request)
            let assignmentID = try rowID("id", context)
            let body = try await BodyReader.json(EntryBody.self, of: request, limit: self.configuration.maxBodyBytes)
            let held = try self.heldAssignment(assignmentID, by: user)
            let bound = body.confirm == true ? nil : held?.field.upperBound
            switch self.parser.parse(json: body, upperBound: bound) {
            case .failure(let problem):
                throw problem.failure
            case .success(let entry):
                let outcome = try self.submit(assignmentID, entry: entry, by: user)
                return try self.json(EntryAnswer(taskId: outcome.taskID, state: outcome.state.rawValue))
            }
        }
        api.get("/progress") { request, _ in
            let user = try self.requireAPIUser(request)
            guard user.isCoordinator else { throw ReviewFailure.notCoordinator }
            return try self.json(try self.withStore { () throws(ReviewError) in try self.store.progress() })
        }
    }

    /// The signed-in account of an API call; 401 without a redirect.
    func requireAPIUser(_ request: Request) throws -> SignedIn {
        guard let user = try signedIn(request) else { throw ReviewFailure.unauthorized(redirectPages: false) }
        return user
    }
}

struct LoginBody: Decodable, Sendable {
    var name: String
    var password: String
}

struct LoginAnswer: Encodable, Sendable {
    var token: String
    var csrfToken: String
    var role: ReviewRole
}

struct EntryAnswer: Encodable, Sendable {
    var taskId: Int64
    var state: String
}

/// `GET /api/v1/tasks/next`: what a client needs to show one field, and nothing of the machine's reading.
struct NextTaskAnswer: Encodable, Sendable {
    struct Field: Encodable, Sendable {
        var key: String
        var line: Int
        var label: [String: String]
    }

    var assignmentId: Int64
    var taskId: Int64
    var field: Field
    var cropUrl: String
    var rowUrl: String
    var leasedUntil: String
    var upperBound: Int?

    init(_ assignment: ReviewAssignment, label: LocalizedText) {
        assignmentId = assignment.id
        taskId = assignment.taskID
        field = Field(key: assignment.field.key, line: assignment.field.line,
                      label: Dictionary(uniqueKeysWithValues: ["kk", "ru", "en"].map { ($0, label.text(in: $0)) }))
        cropUrl = "/crops/\(assignment.id).png"
        rowUrl = "/crops/\(assignment.id)/row.png"
        leasedUntil = ISO8601DateFormatter().string(from: assignment.leasedUntil)
        upperBound = assignment.field.upperBound
    }

    enum CodingKeys: String, CodingKey {
        case assignmentId, taskId, field, cropUrl, rowUrl, leasedUntil, upperBound
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(assignmentId, forKey: .assignmentId)
        try container.encode(taskId, forKey: .taskId)
        try container.encode(field, forKey: .field)
        try container.encode(cropUrl, forKey: .cropUrl)
        try container.encode(rowUrl, forKey: .rowUrl)
        try container.encode(leasedUntil, forKey: .leasedUntil)
        try container.encode(upperBound, forKey: .upperBound)
    }
}
