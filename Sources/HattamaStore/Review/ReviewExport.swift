import Foundation
import GRDB
import HattamaCore

/// What people did with one record, for exports: read-only, so it works on a database opened with `readOnly`.
public struct RecordReview: Sendable, Equatable {
    /// Per field key under review.
    public var fields: [String: FieldReview]
    /// Relations that fail once people confirmed the doubtful fields.
    public var findings: [ReviewFinding]

    public init(fields: [String: FieldReview], findings: [ReviewFinding]) {
        self.fields = fields
        self.findings = findings
    }
}

/// Where one field stands in the review queue.
public struct FieldReview: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Waiting for (more) volunteer entries.
        case open
        /// Waiting for a coordinator.
        case conflict
        /// Final.
        case confirmed
    }

    public var taskID: Int64
    public var state: State
    /// Set when confirmed: the final value, how it was reached, and every entry (voided ones included).
    public var outcome: FieldOutcome?

    public init(taskID: Int64, state: State, outcome: FieldOutcome?) {
        self.taskID = taskID
        self.state = state
        self.outcome = outcome
    }
}

extension SQLiteProtocolStore {
    /// Whether this database has a review queue with at least one task.
    public func hasReviewQueue() throws(StoreError) -> Bool {
        try reading { db in
            guard try db.tableExists("review_tasks") else { return false }
            return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM review_tasks)") ?? false
        }
    }

    /// The review state of every record with a task or a finding, keyed by record id: per field that became a
    /// task its state and, once final, its outcome with every entry. Entries of fields not yet decided are left
    /// out: they stay blind until the field is final. Empty when the database has no review queue.
    public func reviews() throws(StoreError) -> [Int64: RecordReview] {
        try reading { db in
            guard try db.tableExists("review_tasks") else { return [:] }
            var entries: [Int64: [ReviewEntryRecord]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT e.*, a.name FROM review_entries e JOIN review_accounts a ON a.id = e.account_id
                JOIN review_tasks t ON t.id = e.task_id WHERE t.state = 'confirmed' ORDER BY e.id
                """) {
                guard let value = LoggedValue(kind: row["value_kind"], number: row["value_number"]).value else { continue }
                let taskID: Int64 = row["task_id"]
                entries[taskID, default: []].append(ReviewEntryRecord(
                    id: row["id"], taskID: taskID, accountID: row["account_id"], accountName: row["name"], value: value,
                    enteredAt: row["entered_at"], counts: row["counts"] as Bool, isCoordinatorDecision: row["is_decision"] as Bool))
            }
            var reviews: [Int64: RecordReview] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT id, record_id, key, state, final_kind, final_number, decided_by FROM review_tasks ORDER BY id
                """) {
                let taskID: Int64 = row["id"], recordID: Int64 = row["record_id"]
                let state = FieldReview.State(rawValue: row["state"]) ?? .open
                var outcome: FieldOutcome?
                if state == .confirmed, let value = LoggedValue(kind: row["final_kind"], number: row["final_number"]).value {
                    outcome = FieldOutcome(taskID: taskID, value: value, decidedBy: row["decided_by"] ?? "",
                                           entries: entries[taskID] ?? [])
                }
                reviews[recordID, default: RecordReview(fields: [:], findings: [])].fields[row["key"]] =
                    FieldReview(taskID: taskID, state: state, outcome: outcome)
            }
            for finding in try SQLiteReviewStore.findings(db, recordID: nil) {
                reviews[finding.recordID, default: RecordReview(fields: [:], findings: [])].findings.append(finding)
            }
            return reviews
        }
    }
}
