import Foundation
import HattamaCore

/// The hash chain of the event log: each event's hash covers the previous hash and the event's own
/// content, so changing, removing or reordering any past event breaks every later link.
public enum AuditChain {
    /// The `prev_hash` of the first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 of `prev_hash`, then seq, time, kind, subject and the canonical JSON payload, newline-separated.
    public static func hash(prev: String, seq: Int64, at: String, kind: String, subject: String, payload: String) -> String {
        SHA256Digest.hex(of: Array("\(prev)\n\(seq)\n\(at)\n\(kind)\n\(subject)\n\(payload)".utf8))
    }

    /// Canonical JSON (sorted keys, no escaped slashes) of an event payload.
    static func canonical<T: Encodable>(_ payload: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }
}

/// Event kinds written by the store.
enum EventKind {
    static let imageRead = "image.read"
    static let failure = "item.failed"
    static let duplicate = "image.duplicate"
    static let conflict = "precinct.conflict"
}

/// Payload of `image.read`: what was written for one image, with digests of the rows.
struct ImageReadPayload: Codable {
    var sha256: String
    var path: String
    var byteSize: Int
    var storedPath: String
    var records: [RecordDigest]

    enum CodingKeys: String, CodingKey {
        case sha256, path, records
        case byteSize = "byte_size"
        case storedPath = "stored_path"
    }
}

/// One record as logged: its id and digests of its JSON and of its field rows.
struct RecordDigest: Codable {
    var id: Int64
    var page: Int
    var status: String
    var recordSHA256: String
    var fieldsSHA256: String

    enum CodingKeys: String, CodingKey {
        case id, page, status
        case recordSHA256 = "record_sha256"
        case fieldsSHA256 = "fields_sha256"
    }
}

/// Payload of `item.failed`.
struct FailurePayload: Codable {
    var id: Int64
    var path: String
    var sha256: String?
    var reason: String
}

/// Payload of `image.duplicate`.
struct DuplicatePayload: Codable {
    var sha256: String
    var path: String
}
