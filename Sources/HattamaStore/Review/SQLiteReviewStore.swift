import Foundation
import GRDB
import HattamaCore

/// The review queue in the same SQLite file as the protocol store: its own `review_*` tables (migrations
/// named `review-v1-...`), events appended to the store's hash chain. Every call that changes something is
/// one IMMEDIATE transaction, so concurrent volunteers never get the same lease twice or lose an entry.
public final class SQLiteReviewStore: ReviewStore {
    /// The protocol store this queue reviews (same database file).
    public let store: SQLiteProtocolStore
    /// What happens when two volunteers disagree.
    public let policy: ConflictPolicy
    /// What two agreeing volunteers need besides each other.
    public let agreement: AgreementRule
    /// How long a lease lasts before its field returns to the queue, in seconds.
    public let leaseDuration: TimeInterval
    /// The clock for leases, sessions and timestamps (injected so tests expire leases without sleeping).
    let now: @Sendable () -> Date

    /// The database file.
    public var path: String { store.path }

    /// Opens (creating and migrating when needed) the review tables of the database at `path`.
    public convenience init(path: String, policy: ConflictPolicy = .thirdVolunteer, agreement: AgreementRule = .backed,
                            leaseDuration: TimeInterval = 300,
                            now: @escaping @Sendable () -> Date = { Date() }) throws(ReviewError) {
        let store: SQLiteProtocolStore
        do {
            store = try SQLiteProtocolStore(path: path, now: now)
        } catch {
            throw .store(error)
        }
        try self.init(store: store, policy: policy, agreement: agreement, leaseDuration: leaseDuration, now: now)
    }

    /// The review tables of an open protocol store.
    public init(store: SQLiteProtocolStore, policy: ConflictPolicy = .thirdVolunteer, agreement: AgreementRule = .backed,
                leaseDuration: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) throws(ReviewError) {
        self.store = store
        self.policy = policy
        self.agreement = agreement
        self.leaseDuration = leaseDuration
        self.now = now
        do {
            try ReviewMigrations.migrator.migrate(store.pool)
        } catch {
            throw .store(SQLiteProtocolStore.storeError(error, path: store.path))
        }
    }

    /// The names of the review migrations applied to this database, in order.
    public func appliedMigrations() throws(ReviewError) -> [String] {
        try read { db in try ReviewMigrations.migrator.appliedMigrations(db) }
    }

    // MARK: - Accounts

    public func createAccount(name: String, passwordHash: String, role: ReviewRole, language: InterfaceLanguage)
        throws(ReviewError) -> ReviewAccount {
        let at = timestamp()
        return try write { db in
            try Self.insertAccount(db, name: name, passwordHash: passwordHash, role: role, language: language,
                                   invitation: nil, at: at)
        }
    }

    public func account(named name: String) throws(ReviewError) -> ReviewAccount? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM review_accounts WHERE name = ?", arguments: [name]).map(Self.account)
        }
    }

    public func account(id: Int64) throws(ReviewError) -> ReviewAccount? {
        try read { db in try Self.account(db, id: id) }
    }

    public func accounts() throws(ReviewError) -> [ReviewAccount] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_accounts ORDER BY id").map(Self.account)
        }
    }

    public func setLanguage(_ language: InterfaceLanguage, accountID: Int64) throws(ReviewError) {
        try write { db in
            try db.execute(sql: "UPDATE review_accounts SET language = ? WHERE id = ?", arguments: [language.rawValue, accountID])
            if db.changesCount == 0 { throw ReviewError.unknownAccount(accountID) }
        }
    }

    @discardableResult
    public func suspend(accountID: Int64, by coordinatorID: Int64) throws(ReviewError) -> Int {
        let at = timestamp()
        return try write { db in
            _ = try Self.coordinator(db, id: coordinatorID)
            guard let account = try Self.account(db, id: accountID) else { throw ReviewError.unknownAccount(accountID) }
            if account.isSuspended { return 0 }
            try db.execute(sql: "UPDATE review_accounts SET suspended_at = ?, suspended_by = ? WHERE id = ?",
                           arguments: [at, coordinatorID, accountID])
            try db.execute(sql: "DELETE FROM review_sessions WHERE account_id = ?", arguments: [accountID])
            let voided = try Int64.fetchAll(db, sql: """
                SELECT e.id FROM review_entries e JOIN review_tasks t ON t.id = e.task_id
                WHERE e.account_id = ? AND e.counts = 1 AND e.is_decision = 0 AND t.state != 'confirmed' ORDER BY e.id
                """, arguments: [accountID])
            let tasks = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT e.task_id FROM review_entries e JOIN review_tasks t ON t.id = e.task_id
                WHERE e.account_id = ? AND e.counts = 1 AND e.is_decision = 0 AND t.state != 'confirmed' ORDER BY e.task_id
                """, arguments: [accountID])
            for id in voided {
                try db.execute(sql: "UPDATE review_entries SET counts = 0, voided_at = ? WHERE id = ?", arguments: [at, id])
            }
            let released = try Int64.fetchAll(db, sql: """
                SELECT id FROM review_assignments WHERE account_id = ? AND state = 'leased' ORDER BY id
                """, arguments: [accountID])
            try db.execute(sql: "UPDATE review_assignments SET state = 'released' WHERE account_id = ? AND state = 'leased'",
                           arguments: [accountID])
            for task in tasks {
                // Fewer counted entries: the task is judged again and goes back to the queue when it needs more.
                _ = try self.judge(db, taskID: task, at: at)
            }
            try SQLiteProtocolStore.appendEvent(db, at: at, kind: ReviewEventKind.suspended, subject: "account:\(accountID)",
                                                payload: SuspendedPayload(account: accountID, by: coordinatorID,
                                                                          voidedEntries: voided, releasedAssignments: released,
                                                                          reopened: tasks))
            return voided.count
        }
    }

    // MARK: - Invitations

    public func createInvitation(role: ReviewRole, createdBy coordinatorID: Int64) throws(ReviewError) -> ReviewInvitation {
        let at = timestamp()
        let token = Self.randomToken()
        return try write { db in
            _ = try Self.coordinator(db, id: coordinatorID)
            try db.execute(sql: """
                INSERT INTO review_invitations (token_sha256, role, created_by, created_at) VALUES (?, ?, ?, ?)
                """, arguments: [Self.sha256(token), role.rawValue, coordinatorID, at])
            let id = db.lastInsertedRowID
            try SQLiteProtocolStore.appendEvent(db, at: at, kind: ReviewEventKind.invitationCreated, subject: "invitation:\(id)",
                                                payload: InvitationCreatedPayload(id: id, role: role.rawValue, createdBy: coordinatorID))
            return ReviewInvitation(token: token, role: role, createdBy: coordinatorID, createdAt: at, usedBy: nil)
        }
    }

    public func redeemInvitation(token: String, name: String, passwordHash: String, language: InterfaceLanguage)
        throws(ReviewError) -> ReviewAccount {
        let at = timestamp()
        return try write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT i.id, i.role, i.used_by, a.suspended_at FROM review_invitations i
                JOIN review_accounts a ON a.id = i.created_by WHERE i.token_sha256 = ?
                """, arguments: [Self.sha256(token)]),
                  row["used_by"] as Int64? == nil,
                  row["suspended_at"] as String? == nil,  // an invitation dies with its coordinator's suspension
                  let role = ReviewRole(rawValue: row["role"]) else {
                throw ReviewError.invitationInvalid
            }
            let invitationID: Int64 = row["id"]
            let account = try Self.insertAccount(db, name: name, passwordHash: passwordHash, role: role, language: language,
                                                 invitation: invitationID, at: at)
            try db.execute(sql: "UPDATE review_invitations SET used_by = ?, used_at = ? WHERE id = ?",
                           arguments: [account.id, at, invitationID])
            return account
        }
    }

    // MARK: - Sessions

    public func createSession(_ session: ReviewSession) throws(ReviewError) {
        try write { db in
            guard let account = try Self.account(db, id: session.accountID) else {
                throw ReviewError.unknownAccount(session.accountID)
            }
            if account.isSuspended { throw ReviewError.accountSuspended(account.name) }
            try db.execute(sql: """
                INSERT OR REPLACE INTO review_sessions (token_sha256, account_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)
                """, arguments: [session.tokenSHA256, session.accountID, session.csrfToken,
                                 session.expiresAt.timeIntervalSince1970])
        }
    }

    public func session(tokenSHA256: String) throws(ReviewError) -> ReviewSession? {
        let instant = now().timeIntervalSince1970
        return try read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.* FROM review_sessions s JOIN review_accounts a ON a.id = s.account_id
                WHERE s.token_sha256 = ? AND s.expires_at > ? AND a.suspended_at IS NULL
                """, arguments: [tokenSHA256, instant]).map { row in
                ReviewSession(tokenSHA256: row["token_sha256"], accountID: row["account_id"], csrfToken: row["csrf_token"],
                              expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
            }
        }
    }

    public func deleteSession(tokenSHA256: String) throws(ReviewError) {
        let instant = now().timeIntervalSince1970
        try write { db in
            try db.execute(sql: "DELETE FROM review_sessions WHERE token_sha256 = ?", arguments: [tokenSHA256])
            // Expired sessions are of no use to anyone: drop them on the way.
            try db.execute(sql: "DELETE FROM review_sessions WHERE expires_at <= ?", arguments: [instant])
        }
    }

    // MARK: - Helpers

    static func insertAccount(_ db: Database, name: String, passwordHash: String, role: ReviewRole,
                              language: InterfaceLanguage, invitation: Int64?, at: String) throws -> ReviewAccount {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM review_accounts WHERE name = ?)", arguments: [name]) == true {
            throw ReviewError.nameTaken(name)
        }
        try db.execute(sql: """
            INSERT INTO review_accounts (name, password_hash, role, language, created_at, invitation_id) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [name, passwordHash, role.rawValue, language.rawValue, at, invitation])
        let id = db.lastInsertedRowID
        try SQLiteProtocolStore.appendEvent(db, at: at, kind: ReviewEventKind.accountCreated, subject: "account:\(id)",
                                            payload: AccountCreatedPayload(id: id, name: name, role: role.rawValue,
                                                                           invitation: invitation))
        return ReviewAccount(id: id, name: name, passwordHash: passwordHash, role: role, language: language,
                             isSuspended: false, createdAt: at)
    }

    static func account(_ db: Database, id: Int64) throws -> ReviewAccount? {
        try Row.fetchOne(db, sql: "SELECT * FROM review_accounts WHERE id = ?", arguments: [id]).map(account)
    }

    static func account(_ row: Row) -> ReviewAccount {
        ReviewAccount(id: row["id"], name: row["name"], passwordHash: row["password_hash"],
                      role: ReviewRole(rawValue: row["role"]) ?? .volunteer,
                      language: InterfaceLanguage(rawValue: row["language"]) ?? .en,
                      isSuspended: (row["suspended_at"] as String?) != nil, createdAt: row["created_at"])
    }

    /// The live coordinator account with this id, or the reason it may not act.
    static func coordinator(_ db: Database, id: Int64) throws -> ReviewAccount {
        guard let account = try account(db, id: id) else { throw ReviewError.unknownAccount(id) }
        guard account.role == .coordinator else { throw ReviewError.notCoordinator(id) }
        if account.isSuspended { throw ReviewError.accountSuspended(account.name) }
        return account
    }

    /// 32 random bytes as 64 hex digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func sha256(_ text: String) -> String { SHA256Digest.hex(of: Array(text.utf8)) }

    func timestamp() -> String { Self.timestamp(now()) }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    func read<T>(_ body: (Database) throws -> T) throws(ReviewError) -> T {
        do {
            return try store.pool.read(body)
        } catch {
            throw Self.reviewError(error, path: path)
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is written, or none of it.
    @discardableResult
    func write<T>(_ body: (Database) throws -> T) throws(ReviewError) -> T {
        do {
            return try store.pool.writeWithoutTransaction { db in
                var result: Result<T, any Error> = .failure(StoreError.database(path: path, detail: "transaction did not run"))
                try db.inTransaction(.immediate) {
                    result = .success(try body(db))
                    return .commit
                }
                return try result.get()
            }
        } catch {
            throw Self.reviewError(error, path: path)
        }
    }

    static func reviewError(_ error: any Error, path: String) -> ReviewError {
        if let error = error as? ReviewError { return error }
        if let error = error as? StoreError { return .store(error) }
        return .store(SQLiteProtocolStore.storeError(error, path: path))
    }
}
