import Foundation
import Hummingbird
import NIOCore

/// The fields of an `application/x-www-form-urlencoded` body or query string.
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]

    init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[name] == nil { values[name] = value }
        }
    }

    subscript(name: String) -> String? { values[name] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// Reads request bodies with the configured size limit.
enum BodyReader {
    /// The whole body as bytes; 413 when it is larger than `limit`.
    static func bytes(of request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw ReviewFailure.tooLarge(limit: limit)
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw ReviewFailure.tooLarge(limit: limit)
        }
    }

    /// The body parsed as form fields.
    static func form(of request: Request, limit: Int) async throws -> FormFields {
        let bytes = try await bytes(of: request, limit: limit)
        return FormFields(encoded: String(decoding: bytes, as: UTF8.self))
    }

    /// The body decoded from JSON; 400 with a reason otherwise.
    static func json<Body: Decodable>(_ type: Body.Type, of request: Request, limit: Int) async throws -> Body {
        let bytes = try await bytes(of: request, limit: limit)
        guard !bytes.isEmpty else { throw ReviewFailure.badRequest("the body is empty: send a JSON object") }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw ReviewFailure.badRequest("the body is not the JSON object this route expects (see docs/review-api.openapi.yaml)")
        }
    }
}
