import Foundation
import HattamaCore
import HattamaStore
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOPosix

/// A request's signed-in account and how it proved it.
struct SignedIn: Sendable {
    var account: ReviewAccount
    var session: ReviewSession
    /// True when the token came in an `Authorization: Bearer` header (no CSRF check needed: browsers never
    /// add that header on their own).
    var isBearer: Bool

    var isCoordinator: Bool { account.role == .coordinator }
}

/// Signs people in and out: bcrypt passwords, random 32-byte session tokens of which the store keeps only the
/// SHA-256, HttpOnly SameSite=Strict cookies, and a CSRF token per session.
struct SessionAuthenticator: Sendable {
    static let cookieName = "hattama_session"
    static let languageCookieName = "hattama_lang"
    // A valid header name, so the initializer cannot fail.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token") ?? .authorization

    let store: any ReviewStore
    let configuration: ReviewConfiguration
    /// A hash to verify against when the name is unknown, so both cases take the same time.
    private let decoyHash: String
    private let throttle = LoginThrottle()

    init(store: any ReviewStore, configuration: ReviewConfiguration) {
        self.store = store
        self.configuration = configuration
        decoyHash = Bcrypt.hash(Self.randomToken(), cost: configuration.bcryptCost)
    }

    /// 32 random bytes from the system's secure generator, as 64 hex digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    static func tokenHash(_ token: String) -> String { SHA256Digest.hex(of: Array(token.utf8)) }

    /// The bcrypt hash of a new password, computed on the blocking-work pool so requests keep flowing.
    func hashPassword(_ password: String) async throws -> String {
        let cost = configuration.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks the password and opens a session; nil when the name or password is wrong or the account suspended.
    /// Bcrypt runs on the blocking-work pool: a slow hash must not stall other volunteers' requests.
    /// Throws 429 after too many failed attempts for one name.
    func signIn(name: String, password: String) async throws -> (token: String, session: ReviewSession, account: ReviewAccount)? {
        if let wait = throttle.waitBeforeTrying(name) {
            throw ReviewFailure(status: .tooManyRequests,
                                message: "too many failed sign-ins for \(name); try again in \(Int(wait.rounded(.up)) / 60 + 1) minutes",
                                textKey: "error_429", textValues: ["value": "\(Int(wait.rounded(.up)) / 60 + 1)"])
        }
        let account: ReviewAccount?
        do { account = try store.account(named: name) } catch { throw ReviewFailure(error) }
        let hash = account?.passwordHash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard let account, matches, !account.isSuspended else {
            throttle.recordFailure(name)
            return nil
        }
        throttle.recordSuccess(name)
        do { return try openSession(for: account) } catch { throw ReviewFailure(error) }
    }

    /// Opens a session for an account that just proved who it is (login or redeemed invitation).
    func openSession(for account: ReviewAccount) throws(ReviewError) -> (token: String, session: ReviewSession, account: ReviewAccount) {
        let token = Self.randomToken()
        let session = ReviewSession(tokenSHA256: Self.tokenHash(token), accountID: account.id, csrfToken: Self.randomToken(),
                                    expiresAt: Date().addingTimeInterval(configuration.sessionLifetime))
        try store.createSession(session)
        return (token, session, account)
    }

    /// The session cookie carrying `token`.
    func cookie(token: String) -> Cookie {
        Cookie(name: Self.cookieName, value: token, maxAge: Int(configuration.sessionLifetime), path: "/",
               secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// A cookie that makes the browser forget the session.
    func expiredCookie() -> Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: configuration.secureCookies,
               httpOnly: true, sameSite: .strict)
    }

    /// The token a request carries: the bearer header first, then the cookie.
    static func presentedToken(_ request: Request) -> (token: String, isBearer: Bool)? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return (String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces), true)
        }
        if let cookie = request.cookies[cookieName]?.value, !cookie.isEmpty { return (cookie, false) }
        return nil
    }

    /// The signed-in account of a request, or nil.
    func signedIn(_ request: Request) throws(ReviewError) -> SignedIn? {
        guard let presented = Self.presentedToken(request), presented.token.count == 64,
              let session = try store.session(tokenSHA256: Self.tokenHash(presented.token)),
              session.expiresAt > Date(),
              let account = try store.account(id: session.accountID), !account.isSuspended
        else { return nil }
        return SignedIn(account: account, session: session, isBearer: presented.isBearer)
    }

    /// Ends the session a request carries, if any.
    func signOut(_ request: Request) throws(ReviewError) {
        guard let presented = Self.presentedToken(request) else { return }
        try store.deleteSession(tokenSHA256: Self.tokenHash(presented.token))
    }

    /// Throws 403 unless the request proves it comes from this app's own page (or uses a bearer token).
    static func checkCSRF(_ user: SignedIn, formToken: String?, request: Request) throws(ReviewFailure) {
        if user.isBearer { return }
        let presented = formToken ?? request.headers[csrfHeader]
        guard let presented, constantTimeEqual(presented, user.session.csrfToken) else { throw .missingCSRF }
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// Password hashing for accounts made outside the web app (the first coordinator, from the command line).
public enum ReviewPasswords {
    /// The bcrypt hash of `password` at `cost` (10 keeps a sign-in near 100 ms).
    public static func hash(_ password: String, cost: UInt8 = 10) -> String { Bcrypt.hash(password, cost: cost) }
}
