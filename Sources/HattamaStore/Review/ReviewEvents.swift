import Foundation
import HattamaCore

/// Event kinds the review store writes into the store's hash-chained log.
enum ReviewEventKind {
    static let accountCreated = "review.account"
    static let invitationCreated = "review.invitation"
    static let suspended = "review.suspend"
    static let enqueued = "review.enqueue"
    static let entry = "review.entry"
    static let decision = "review.decision"
    static let inconsistent = "review.inconsistent"
}

/// A value as logged and as stored: `kind` is number, illegible or not_a_protocol.
struct LoggedValue: Codable, Hashable {
    var kind: String
    var number: Int?

    init(_ value: ReviewEntryValue) {
        switch value {
        case .number(let n): kind = "number"; number = n
        case .illegible: kind = "illegible"; number = nil
        case .notAProtocol: kind = "not_a_protocol"; number = nil
        }
    }

    init(kind: String, number: Int?) {
        self.kind = kind
        self.number = number
    }

    var value: ReviewEntryValue? {
        switch kind {
        case "number": return number.map { .number($0) }
        case "illegible": return .illegible
        case "not_a_protocol": return .notAProtocol
        default: return nil
        }
    }
}

/// `review.account`: an account was created (never its password hash; the language may change later).
struct AccountCreatedPayload: Codable {
    var id: Int64
    var name: String
    var role: String
    var invitation: Int64?
}

/// `review.invitation`: a coordinator created an invitation (never its token).
struct InvitationCreatedPayload: Codable {
    var id: Int64
    var role: String
    var createdBy: Int64
}

/// `review.suspend`: an account was suspended; its entries on undecided fields stopped counting and its
/// leases were released.
struct SuspendedPayload: Codable {
    var account: Int64
    var by: Int64
    var voidedEntries: [Int64]
    var releasedAssignments: [Int64]
    /// Tasks whose state changed because entries were voided, with their new state.
    var reopened: [Int64]
}

/// `review.enqueue`: tasks `first...last` were created; `digest` covers their rows.
struct EnqueuedPayload: Codable {
    var first: Int64
    var last: Int64
    var count: Int
    var digest: String
}

/// `review.entry` and `review.decision`: one entry and what it did to its field.
struct EntryPayload: Codable {
    var id: Int64
    var task: Int64
    var assignment: Int64?
    var account: Int64
    var value: LoggedValue
    /// waiting, conflict or confirmed.
    var outcome: String
    /// Set when the field was decided by this entry.
    var final: LoggedValue?
    var decidedBy: String?
}

/// `review.inconsistent`: a relation of the record fails with every field accepted or confirmed.
struct InconsistentPayload: Codable {
    var finding: Int64
    var record: Int64
    var relation: String
    var expression: String
    var left: Int
    var right: Int
    var task: Int64
}
