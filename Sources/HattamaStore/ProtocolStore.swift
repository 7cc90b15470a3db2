import Foundation
import HattamaCore

/// Where digitized protocols are kept: images, records with field provenance, failures and a hash-chained
/// event log. Callers talk to this protocol only, so a shared PostgreSQL backend can replace SQLite.
public protocol ProtocolStore: AnyObject, Sendable {
    /// Whether the image with this content hash already has its records (so it must not be read again).
    func hasRecords(forImage sha256: String) throws(StoreError) -> Bool

    /// The stored image with this content hash, if any.
    func image(sha256: String) throws(StoreError) -> StoredImage?

    /// Saves one image and all its pages' records, fields and the audit event in one transaction.
    /// Saving an image that already has records changes nothing and says so in the receipt.
    func save(_ submission: ImageSubmission) throws(StoreError) -> SaveReceipt

    /// Records a file that could not be digitized, with its reason, and logs it.
    func recordFailure(_ failure: FailedItem) throws(StoreError)

    /// Remembers another path of an already stored image; true when that path was not known yet.
    @discardableResult
    func recordDuplicate(path: String, of sha256: String) throws(StoreError) -> Bool

    /// Precincts claimed by records of more than one image, within one election.
    func conflicts() throws(StoreError) -> [PrecinctConflict]

    /// How many records have each status.
    func statusCounts() throws(StoreError) -> [ProtocolStatus: Int]

    /// Calls `body` with every record, oldest first, without loading them all at once.
    func forEachRecord(_ body: (StoredRecord) throws -> Void) throws(StoreError)

    /// Recomputes the event chain and checks every image, record, field and failure row against it.
    func verifyAudit() throws(StoreError) -> AuditReport

    /// Where the read-only copy of a stored image lives.
    func storedImageURL(for image: StoredImage) -> URL
}

/// One image's results, to be saved together.
public struct ImageSubmission: Sendable {
    public var sha256: String
    /// The path the image was read from.
    public var path: String
    public var byteSize: Int
    /// The records of its pages (an unreadable page still gets a record with status `unreadable`).
    public var records: [ProtocolRecord]
    /// Other paths in the same batch with the same content.
    public var duplicatePaths: [String]

    public init(sha256: String, path: String, byteSize: Int, records: [ProtocolRecord], duplicatePaths: [String] = []) {
        self.sha256 = sha256
        self.path = path
        self.byteSize = byteSize
        self.records = records
        self.duplicatePaths = duplicatePaths
    }
}

/// What saving an image did.
public struct SaveReceipt: Sendable, Equatable {
    /// False when the image already had records and nothing was written.
    public var isNew: Bool
    public var recordIDs: [Int64]
    /// Conflicts this image takes part in (its precinct is also claimed by another image).
    public var conflicts: [PrecinctConflict]
}

/// A file that could not be digitized.
public struct FailedItem: Sendable, Equatable {
    public var path: String
    public var sha256: String?
    public var reason: String

    public init(path: String, sha256: String? = nil, reason: String) {
        self.path = path
        self.sha256 = sha256
        self.reason = reason
    }
}

/// An image as stored.
public struct StoredImage: Sendable, Equatable {
    public var sha256: String
    public var originalPath: String
    public var byteSize: Int
    public var addedAt: String
    /// Relative to the images folder next to the database.
    public var storedPath: String

    public init(sha256: String, originalPath: String, byteSize: Int, addedAt: String, storedPath: String) {
        self.sha256 = sha256
        self.originalPath = originalPath
        self.byteSize = byteSize
        self.addedAt = addedAt
        self.storedPath = storedPath
    }
}

/// A stored record with its image.
public struct StoredRecord: Sendable {
    public var id: Int64
    public var imageSHA256: String
    public var originalPath: String
    public var storedPath: String
    public var record: ProtocolRecord
}

/// Several different images whose records claim the same precinct of the same election.
public struct PrecinctConflict: Sendable, Equatable, Codable {
    public var election: String?
    public var precinct: String
    public var images: [String]
}

/// The outcome of `verifyAudit`.
public struct AuditReport: Sendable, Equatable {
    public var events: Int
    /// The first event whose hash or link does not match, with what is wrong.
    public var firstBrokenLink: AuditProblem?
    /// Rows that no longer match the event that recorded them.
    public var rowProblems: [AuditProblem]

    public var isIntact: Bool { firstBrokenLink == nil && rowProblems.isEmpty }
}

/// One thing `verifyAudit` found wrong.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public var seq: Int64?
    public var detail: String

    public var description: String { seq.map { "event \($0): \(detail)" } ?? detail }
}
