import Foundation
import HattamaStore
import Hummingbird
import HTTPTypes

/// Builds the review web app over `store`, the same way for `hattama review serve` and for the tests.
public func buildReviewApplication(configuration: ReviewConfiguration, store: any ReviewStore) throws -> some ApplicationProtocol {
    let router = try buildReviewRouter(configuration: configuration, store: store)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hattama-review"))
}

/// The router of the review app: pages, the JSON API and crops, behind the error and body-size middleware.
public func buildReviewRouter(configuration: ReviewConfiguration, store: any ReviewStore) throws -> Router<BasicRequestContext> {
    let services = try ReviewServices(configuration: configuration, store: store)
    let router = Router()
    router.add(middleware: ReviewErrorMiddleware(services: services))
    services.addAuthRoutes(to: router)
    services.addReviewRoutes(to: router)
    services.addCoordinatorRoutes(to: router)
    services.addAPIRoutes(to: router)
    return router
}

/// What the route handlers share: the store, configuration, translations, labels, crops and sign-in.
final class ReviewServices: Sendable {
    let store: any ReviewStore
    let configuration: ReviewConfiguration
    let text: InterfaceText
    let labels: FieldLabels
    let crops: CropRenderer
    let book = AssignmentBook()
    let auth: SessionAuthenticator
    let parser: EntryParser
    let stylesheet: Data

    init(configuration: ReviewConfiguration, store: any ReviewStore) throws {
        self.store = store
        self.configuration = configuration
        text = try InterfaceText.bundled()
        labels = FieldLabels(seedsFolder: configuration.seedsFolder)
        crops = CropRenderer(imagesFolder: configuration.imagesFolder)
        auth = SessionAuthenticator(store: store, configuration: configuration)
        parser = EntryParser(absurdValue: configuration.absurdValue)
        guard let css = Bundle.module.url(forResource: "review", withExtension: "css", subdirectory: "Resources"),
              let data = try? Data(contentsOf: css)
        else { throw ReviewSetupError.missingResource("review.css") }
        stylesheet = data
    }

    // MARK: Who is asking

    /// The signed-in account, or nil.
    func signedIn(_ request: Request) throws -> SignedIn? {
        do { return try auth.signedIn(request) } catch { throw ReviewFailure(error) }
    }

    /// The signed-in account; pages redirect to /login without one, the API answers 401.
    func requireUser(_ request: Request) throws -> SignedIn {
        guard let user = try signedIn(request) else { throw ReviewFailure.unauthorized() }
        return user
    }

    func requireCoordinator(_ request: Request) throws -> SignedIn {
        let user = try requireUser(request)
        guard user.isCoordinator else { throw ReviewFailure.notCoordinator }
        return user
    }

    /// The language of a page: the account's choice, else the language cookie, else the default.
    func language(_ request: Request, user: SignedIn?) -> InterfaceLanguage {
        if let user { return user.account.language }
        if let chosen = request.cookies[SessionAuthenticator.languageCookieName].flatMap({ InterfaceLanguage(rawValue: $0.value) }) {
            return chosen
        }
        return configuration.defaultLanguage
    }

    func layout(_ request: Request, user: SignedIn?) -> PageLayout {
        PageLayout(text: text, language: language(request, user: user), user: user, nonce: SessionAuthenticator.randomToken(),
                   path: request.method == .get ? request.uri.path : "/")
    }

    /// Runs a store call, turning its refusal into the matching HTTP failure.
    func withStore<T>(_ body: () throws(ReviewError) -> T) throws(ReviewFailure) -> T {
        do { return try body() } catch { throw ReviewFailure(error) }
    }

    // MARK: Responses

    /// An HTML page with headers that keep it out of frames and caches and allow only its own nonce'd script.
    func html(_ page: String, layout: PageLayout, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[.contentSecurityPolicy] = "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'nonce-\(layout.nonce)'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        if let name = HTTPField.Name("X-Content-Type-Options") { headers[name] = "nosniff" }
        if let name = HTTPField.Name("Referrer-Policy") { headers[name] = "no-referrer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    func json<Body: Encodable>(_ body: Body, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(body)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func png(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// A path parameter as a row id; 404 when it is not one.
func rowID(_ name: String, _ context: BasicRequestContext) throws -> Int64 {
    guard let id = context.parameters.get(name, as: Int64.self) else { throw ReviewFailure.notFound() }
    return id
}
