import Hummingbird
import HattamaStore

/// A refused request: its HTTP status, a message saying why (English, for the API and logs), and the key of the
/// translated text pages show. Pages that need a sign-in redirect instead of failing.
struct ReviewFailure: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// Translation key for pages; nil uses the generic text of the status.
    var textKey: String?
    var textValues: [String: String] = [:]
    /// Where a page request goes instead (e.g. /login); API requests still get `status`.
    var redirect: String?

    static func unauthorized(redirectPages: Bool = true) -> ReviewFailure {
        ReviewFailure(status: .unauthorized, message: "sign in first: POST /api/v1/login, then send the token as `Authorization: Bearer <token>`",
                      textKey: "error_401", redirect: redirectPages ? "/login" : nil)
    }

    static func forbidden(_ message: String) -> ReviewFailure {
        ReviewFailure(status: .forbidden, message: message, textKey: "error_403")
    }

    static let missingCSRF = ReviewFailure.forbidden(
        "the CSRF token is missing or wrong: send the session's csrf_token as the form field `csrf` or the header X-CSRF-Token")

    static let notCoordinator = ReviewFailure.forbidden("only coordinators may do this")

    static func notFound(_ message: String = "no such page") -> ReviewFailure {
        ReviewFailure(status: .notFound, message: message, textKey: "error_404")
    }

    static func badRequest(_ message: String, textKey: String = "error_400", values: [String: String] = [:]) -> ReviewFailure {
        ReviewFailure(status: .badRequest, message: message, textKey: textKey, textValues: values)
    }

    static func tooLarge(limit: Int) -> ReviewFailure {
        ReviewFailure(status: .contentTooLarge, message: "the request body is larger than \(limit) bytes", textKey: "error_413")
    }

}

extension ReviewFailure {
    /// The HTTP meaning of a store refusal.
    init(_ error: ReviewError) {
        switch error {
        case .notAssigned, .alreadySubmitted, .alreadyDecided:
            self.init(status: .conflict, message: error.description, textKey: "error_409")
        case .nameTaken:
            self.init(status: .conflict, message: error.description, textKey: "name_taken")
        case .leaseExpired:
            self.init(status: .gone, message: error.description, textKey: "error_410")
        case .unknownTask, .unknownAccount:
            self.init(status: .notFound, message: error.description, textKey: "error_404")
        case .invitationInvalid:
            self.init(status: .notFound, message: error.description, textKey: "invite_invalid")
        case .notCoordinator, .accountSuspended:
            self.init(status: .forbidden, message: error.description, textKey: "error_403")
        case .store:
            self.init(status: .internalServerError, message: error.description, textKey: "error_500")
        }
    }
}
