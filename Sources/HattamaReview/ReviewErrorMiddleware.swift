import Foundation
import HattamaStore
import Hummingbird

/// Turns every refusal into a proper answer: `{"error": "..."}` under /api, a translated page elsewhere, and a
/// redirect to the sign-in page for pages that need one. Unexpected errors become 500 without details.
struct ReviewErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let services: ReviewServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = Self.failure(for: error)
            if failure.status == .internalServerError {
                context.logger.error("review request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return render(failure, request: request)
        }
    }

    static func failure(for error: Error) -> ReviewFailure {
        switch error {
        case let failure as ReviewFailure:
            return failure
        case let error as ReviewError:
            return ReviewFailure(error)
        case let error as HTTPResponseError:
            switch error.status {
            case .notFound: return .notFound()
            case .contentTooLarge: return ReviewFailure(status: .contentTooLarge, message: "the request body is too large", textKey: "error_413")
            case .methodNotAllowed: return ReviewFailure(status: .methodNotAllowed, message: "this route does not take that method", textKey: "error_404")
            default: return ReviewFailure(status: error.status, message: error.status.reasonPhrase, textKey: "error_400")
            }
        default:
            return ReviewFailure(status: .internalServerError, message: "the server failed; the log has the details", textKey: "error_500")
        }
    }

    private func render(_ failure: ReviewFailure, request: Request) -> Response {
        if request.uri.path.hasPrefix("/api/") {
            let body = (try? JSONEncoder().encode(["error": failure.message])) ?? Data()
            return Response(status: failure.status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        if let location = failure.redirect, request.method == .get {
            return services.redirect(location)
        }
        let user = try? services.signedIn(request)
        let layout = services.layout(request, user: user ?? nil)
        let titled: Set<Int> = [400, 401, 403, 404, 409, 410, 413, 429, 500]
        let title = services.text("error_\(titled.contains(failure.status.code) ? failure.status.code : 400)", layout.language, failure.textValues)
        let message = services.text(failure.textKey ?? "error_\(failure.status.code)", layout.language, failure.textValues)
        return services.html(layout.messagePage(title: title, message: message, isError: true), layout: layout, status: failure.status)
    }
}
