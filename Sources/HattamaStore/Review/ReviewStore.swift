import Foundation
import HattamaCore

/// The volunteer review queue over the protocol store: accounts, invitations, sessions, blind double entry of
/// uncertain fields with leased assignments, and the outcome of each field. Every entry and decision is an
/// event in the store's hash-chained log. The web app (HattamaReview) talks to this protocol only.
public protocol ReviewStore: AnyObject, Sendable {
    // MARK: Accounts

    /// Creates an account; the password arrives already hashed with a slow hash (bcrypt) by the caller.
    /// Throws `.nameTaken` when the name exists.
    func createAccount(name: String, passwordHash: String, role: ReviewRole, language: InterfaceLanguage)
        throws(ReviewError) -> ReviewAccount
    func account(named name: String) throws(ReviewError) -> ReviewAccount?
    func account(id: Int64) throws(ReviewError) -> ReviewAccount?
    func accounts() throws(ReviewError) -> [ReviewAccount]
    func setLanguage(_ language: InterfaceLanguage, accountID: Int64) throws(ReviewError)
    /// Suspends an account: its sessions end, and its entries on fields not yet decided are voided so those
    /// fields return to the queue. Returns how many entries were voided.
    @discardableResult
    func suspend(accountID: Int64, by coordinatorID: Int64) throws(ReviewError) -> Int

    // MARK: Invitations

    /// A single-use invitation for a new account with `role`, created by a coordinator.
    func createInvitation(role: ReviewRole, createdBy coordinatorID: Int64) throws(ReviewError) -> ReviewInvitation
    /// Creates the account an invitation allows and marks the invitation used, in one transaction.
    func redeemInvitation(token: String, name: String, passwordHash: String, language: InterfaceLanguage)
        throws(ReviewError) -> ReviewAccount

    // MARK: Sessions (the caller generates tokens; the store keeps only their SHA-256)

    func createSession(_ session: ReviewSession) throws(ReviewError)
    /// The live session with this token hash (nil when unknown, expired, or its account is suspended).
    func session(tokenSHA256: String) throws(ReviewError) -> ReviewSession?
    func deleteSession(tokenSHA256: String) throws(ReviewError)

    // MARK: The queue

    /// Creates a review task for every field of every stored record that is not accepted and has no task yet.
    /// Idempotent; returns how many tasks were created.
    @discardableResult
    func enqueueUncertainFields() throws(ReviewError) -> Int
    /// The volunteer's current leased assignment if it is still live, otherwise a new lease on a field this
    /// account has never been given, or nil when nothing is left for it. Expired leases return to the queue.
    func nextAssignment(for accountID: Int64) throws(ReviewError) -> ReviewAssignment?
    /// Records one entry for a live assignment of this account. Throws `.notAssigned` for a field not leased
    /// to this account, `.alreadySubmitted` for a second entry, `.leaseExpired` when the lease ran out and
    /// another volunteer may hold the field now.
    func submit(assignmentID: Int64, accountID: Int64, entry: ReviewEntryValue) throws(ReviewError) -> SubmitOutcome
    /// Coordinator decision on a field in conflict (or any undecided field); final.
    func decide(taskID: Int64, coordinatorID: Int64, entry: ReviewEntryValue) throws(ReviewError) -> SubmitOutcome
    /// Tasks waiting for a coordinator.
    func conflicts() throws(ReviewError) -> [ReviewTaskSummary]
    /// Fields left, per-volunteer throughput and agreement rate, overall agreement.
    func progress() throws(ReviewError) -> ReviewProgress
    /// Every entry of a task, oldest first, with who made it and whether it still counts; for export and
    /// coordinators (never shown to volunteers before the field is decided).
    func history(taskID: Int64) throws(ReviewError) -> [ReviewEntryRecord]
    /// The outcome of every decided field of a record, keyed by field key.
    func outcomes(recordID: Int64) throws(ReviewError) -> [String: FieldOutcome]
}

/// Who an account is.
public enum ReviewRole: String, Sendable, Codable, CaseIterable {
    case volunteer, coordinator
}

/// Interface languages.
public enum InterfaceLanguage: String, Sendable, Codable, CaseIterable {
    case kk, ru, en
}

/// What two volunteers who entered the same value need before it is confirmed.
public enum AgreementRule: String, Sendable, Codable, CaseIterable {
    /// A machine reader read that value, or the form's arithmetic implies it; otherwise a third volunteer
    /// must enter it too (two identical typos are not rare on one-digit fields). The default.
    case backed
    /// Two volunteers suffice (faster; use when the machine's readings are known to be useless).
    case twoVolunteers = "two-volunteers"
}

/// What a third reader does when two volunteers disagree.
public enum ConflictPolicy: String, Sendable, Codable {
    /// A third volunteer enters the field blind; a value two of the three entered is confirmed, otherwise a
    /// coordinator decides.
    case thirdVolunteer = "third-volunteer"
    /// A coordinator decides at once.
    case coordinator
}

public struct ReviewAccount: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var passwordHash: String
    public var role: ReviewRole
    public var language: InterfaceLanguage
    public var isSuspended: Bool
    public var createdAt: String

    public init(id: Int64, name: String, passwordHash: String, role: ReviewRole, language: InterfaceLanguage,
                isSuspended: Bool, createdAt: String) {
        self.id = id
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.language = language
        self.isSuspended = isSuspended
        self.createdAt = createdAt
    }
}

public struct ReviewInvitation: Sendable, Equatable, Codable {
    public var token: String
    public var role: ReviewRole
    public var createdBy: Int64
    public var createdAt: String
    public var usedBy: Int64?

    public init(token: String, role: ReviewRole, createdBy: Int64, createdAt: String, usedBy: Int64?) {
        self.token = token
        self.role = role
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.usedBy = usedBy
    }
}

public struct ReviewSession: Sendable, Equatable, Codable {
    public var tokenSHA256: String
    public var accountID: Int64
    /// The CSRF token every form and API write of this session must carry.
    public var csrfToken: String
    public var expiresAt: Date

    public init(tokenSHA256: String, accountID: Int64, csrfToken: String, expiresAt: Date) {
        self.tokenSHA256 = tokenSHA256
        self.accountID = accountID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// What a person entered for a field.
public enum ReviewEntryValue: Sendable, Equatable, Codable, Hashable {
    case number(Int)
    /// The field cannot be read on the image.
    case illegible
    /// The image is not a protocol, or not the form the template says.
    case notAProtocol
}

/// A field leased to one volunteer. Carries what the volunteer may see and nothing else: no machine reading,
/// no other entry.
public struct ReviewAssignment: Sendable, Equatable {
    public var id: Int64
    public var taskID: Int64
    public var accountID: Int64
    public var leasedUntil: Date
    public var field: ReviewFieldLocation

    public init(id: Int64, taskID: Int64, accountID: Int64, leasedUntil: Date, field: ReviewFieldLocation) {
        self.id = id
        self.taskID = taskID
        self.accountID = accountID
        self.leasedUntil = leasedUntil
        self.field = field
    }
}

/// Where a field is, so that a page can show its crop and the row around it.
public struct ReviewFieldLocation: Sendable, Equatable, Codable {
    public var recordID: Int64
    public var formID: String?
    public var key: String
    public var line: Int
    /// The field's box in the stored image's pixels (nil when the page was not registered).
    public var box: PixelRect?
    public var imageSHA256: String
    /// The stored copy, relative to the images folder next to the database.
    public var storedPath: String
    /// The largest value the form allows here given the other accepted or confirmed fields (for example
    /// the voters on the list); nil when unknown. Entries above it are refused.
    public var upperBound: Int?

    public init(recordID: Int64, formID: String?, key: String, line: Int, box: PixelRect?, imageSHA256: String,
                storedPath: String, upperBound: Int?) {
        self.recordID = recordID
        self.formID = formID
        self.key = key
        self.line = line
        self.box = box
        self.imageSHA256 = imageSHA256
        self.storedPath = storedPath
        self.upperBound = upperBound
    }
}

/// What an entry did to its field.
public struct SubmitOutcome: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Waiting for more entries.
        case waiting
        /// Two entries agree (or a coordinator decided): the value is final.
        case confirmed
        /// Entries disagree: a third volunteer or a coordinator is needed.
        case conflict
    }

    public var taskID: Int64
    public var state: State
    /// Set when the record's relations still fail with every field accepted or confirmed.
    public var recordBecameInconsistent: Bool

    public init(taskID: Int64, state: State, recordBecameInconsistent: Bool) {
        self.taskID = taskID
        self.state = state
        self.recordBecameInconsistent = recordBecameInconsistent
    }
}

/// A task as coordinators see it.
public struct ReviewTaskSummary: Sendable, Equatable, Codable {
    public var taskID: Int64
    public var field: ReviewFieldLocation
    public var entries: Int

    public init(taskID: Int64, field: ReviewFieldLocation, entries: Int) {
        self.taskID = taskID
        self.field = field
        self.entries = entries
    }
}

/// One person's entry, as kept forever.
public struct ReviewEntryRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var taskID: Int64
    public var accountID: Int64
    public var accountName: String
    public var value: ReviewEntryValue
    public var enteredAt: String
    /// False once voided (its author was suspended before the field was decided).
    public var counts: Bool
    public var isCoordinatorDecision: Bool

    public init(id: Int64, taskID: Int64, accountID: Int64, accountName: String, value: ReviewEntryValue,
                enteredAt: String, counts: Bool, isCoordinatorDecision: Bool) {
        self.id = id
        self.taskID = taskID
        self.accountID = accountID
        self.accountName = accountName
        self.value = value
        self.enteredAt = enteredAt
        self.counts = counts
        self.isCoordinatorDecision = isCoordinatorDecision
    }
}

/// How a field's final value was reached by people.
public struct FieldOutcome: Sendable, Equatable, Codable {
    public var taskID: Int64
    public var value: ReviewEntryValue
    /// "agreement" (two volunteers), "majority" (two of three), or "coordinator".
    public var decidedBy: String
    public var entries: [ReviewEntryRecord]

    public init(taskID: Int64, value: ReviewEntryValue, decidedBy: String, entries: [ReviewEntryRecord]) {
        self.taskID = taskID
        self.value = value
        self.decidedBy = decidedBy
        self.entries = entries
    }
}

/// Numbers for the coordinator's progress page and the API.
public struct ReviewProgress: Sendable, Equatable, Codable {
    public struct Volunteer: Sendable, Equatable, Codable {
        public var accountID: Int64
        public var name: String
        public var entries: Int
        /// Entries per hour between this volunteer's first and last entry.
        public var entriesPerHour: Double
        /// Share of this volunteer's entries on decided fields that equal the final value.
        public var agreementRate: Double?
        public var isSuspended: Bool

        public init(accountID: Int64, name: String, entries: Int, entriesPerHour: Double, agreementRate: Double?,
                    isSuspended: Bool) {
            self.accountID = accountID
            self.name = name
            self.entries = entries
            self.entriesPerHour = entriesPerHour
            self.agreementRate = agreementRate
            self.isSuspended = isSuspended
        }
    }

    public var tasks: Int
    public var confirmed: Int
    public var inConflict: Int
    /// Tasks not yet decided.
    public var left: Int
    /// Share of decided tasks whose first two entries agreed.
    public var agreementRate: Double?
    public var volunteers: [Volunteer]

    public init(tasks: Int, confirmed: Int, inConflict: Int, left: Int, agreementRate: Double?, volunteers: [Volunteer]) {
        self.tasks = tasks
        self.confirmed = confirmed
        self.inConflict = inConflict
        self.left = left
        self.agreementRate = agreementRate
        self.volunteers = volunteers
    }
}

/// Why a review action was refused; messages say what to do.
public enum ReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    case store(StoreError)
    case nameTaken(String)
    case unknownAccount(Int64)
    case accountSuspended(String)
    case notCoordinator(Int64)
    case invitationInvalid
    case notAssigned(assignmentID: Int64)
    case alreadySubmitted(taskID: Int64)
    case leaseExpired(assignmentID: Int64)
    case unknownTask(Int64)
    case alreadyDecided(taskID: Int64)

    public var description: String {
        switch self {
        case .store(let error): return error.description
        case .nameTaken(let name): return "the name \(name) is taken; choose another"
        case .unknownAccount(let id): return "no account \(id)"
        case .accountSuspended(let name): return "the account \(name) is suspended; ask a coordinator"
        case .notCoordinator(let id): return "account \(id) is not a coordinator; only coordinators may do this"
        case .invitationInvalid: return "this invitation is unknown or already used; ask a coordinator for a new one"
        case .notAssigned(let id): return "assignment \(id) is not yours; ask for the next field"
        case .alreadySubmitted(let id): return "you already entered field \(id); ask for the next field"
        case .leaseExpired(let id): return "assignment \(id) expired and went back to the queue; ask for the next field"
        case .unknownTask(let id): return "no review task \(id)"
        case .alreadyDecided(let id): return "field \(id) is already decided"
        }
    }
}
