import Foundation
import GRDB

/// A relation of a record that fails once people confirmed its doubtful fields, with every field in it
/// accepted or confirmed: a finding about the protocol itself, not a review task.
public struct ReviewFinding: Sendable, Equatable, Codable {
    public var id: Int64
    public var recordID: Int64
    public var relationID: String
    public var expression: String
    /// The two sides of the relation with the accepted and confirmed values.
    public var left: Int
    public var right: Int
    /// The task whose confirmation made the relation fail.
    public var taskID: Int64
    public var foundAt: String

    public init(id: Int64, recordID: Int64, relationID: String, expression: String, left: Int, right: Int, taskID: Int64,
                foundAt: String) {
        self.id = id
        self.recordID = recordID
        self.relationID = relationID
        self.expression = expression
        self.left = left
        self.right = right
        self.taskID = taskID
        self.foundAt = foundAt
    }
}

extension SQLiteReviewStore {
    /// The findings of one record, or of every record, oldest first.
    public func findings(recordID: Int64? = nil) throws(ReviewError) -> [ReviewFinding] {
        try read { db in try Self.findings(db, recordID: recordID) }
    }

    static func findings(_ db: Database, recordID: Int64?) throws -> [ReviewFinding] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM review_findings WHERE ?1 IS NULL OR record_id = ?1 ORDER BY id
            """, arguments: [recordID]).map { row in
            ReviewFinding(id: row["id"], recordID: row["record_id"], relationID: row["relation_id"],
                          expression: row["expression"], left: row["left_value"], right: row["right_value"],
                          taskID: row["task_id"], foundAt: row["found_at"])
        }
    }
}
