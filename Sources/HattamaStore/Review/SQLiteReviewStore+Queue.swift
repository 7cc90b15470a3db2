import Foundation
import GRDB
import HattamaCore

extension SQLiteReviewStore {
    /// What people decide: which fields become tasks. Counts and precinct numbers that are not accepted (nor
    /// already confirmed); free-text fields are never checked, so never queued. A record without fields (a page
    /// that matched no form) has nothing to enter and gets no task.
    static func needsReview(_ field: FieldRecord) -> Bool {
        field.kind != .text && !field.isTrusted
    }

    @discardableResult
    public func enqueueUncertainFields() throws(ReviewError) -> Int {
        let at = timestamp()
        return try write { db in
            let candidates = try Row.fetchAll(db, sql: """
                SELECT f.record_id, f.ordinal, f.key FROM fields f
                WHERE f.status NOT IN ('accepted', 'confirmed')
                  AND NOT EXISTS (SELECT 1 FROM review_tasks t WHERE t.record_id = f.record_id AND t.ordinal = f.ordinal)
                ORDER BY f.record_id, f.ordinal
                """)
            // The field kind is in the record's JSON; candidates come ordered by record, so one decoded record at a time.
            var current: (id: Int64, record: ProtocolRecord)?
            var created: [Int64] = []
            for row in candidates {
                let recordID: Int64 = row["record_id"], ordinal: Int = row["ordinal"], key: String = row["key"]
                if current?.id != recordID { current = (recordID, try Self.record(db, id: recordID)) }
                guard let record = current?.record, ordinal < record.fields.count,
                      Self.needsReview(record.fields[ordinal]) else { continue }
                try db.execute(sql: "INSERT INTO review_tasks (record_id, ordinal, key, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [recordID, ordinal, key, at])
                created.append(db.lastInsertedRowID)
            }
            guard let first = created.first, let last = created.last else { return 0 }
            let digest = try Self.taskDigest(db, first: first, last: last)
            try SQLiteProtocolStore.appendEvent(db, at: at, kind: ReviewEventKind.enqueued, subject: "tasks:\(first)-\(last)",
                                                payload: EnqueuedPayload(first: first, last: last, count: created.count,
                                                                         digest: digest))
            return created.count
        }
    }

    public func nextAssignment(for accountID: Int64) throws(ReviewError) -> ReviewAssignment? {
        let instant = now()
        let at = Self.timestamp(instant)
        let until = instant.timeIntervalSince1970 + leaseDuration
        let leased: Row? = try write { db in
            guard let account = try Self.account(db, id: accountID) else { throw ReviewError.unknownAccount(accountID) }
            if account.isSuspended { throw ReviewError.accountSuspended(account.name) }
            // Expired leases go back to the queue (their rows stay: nobody gets the same field twice).
            try db.execute(sql: "UPDATE review_assignments SET state = 'expired' WHERE state = 'leased' AND leased_until <= ?",
                           arguments: [instant.timeIntervalSince1970])
            if let live = try Row.fetchOne(db, sql: """
                SELECT a.* FROM review_assignments a JOIN review_tasks t ON t.id = a.task_id
                WHERE a.account_id = ? AND a.state = 'leased' AND t.state = 'open' ORDER BY a.id LIMIT 1
                """, arguments: [accountID]) {
                return live
            }
            // The oldest open task this account never had, with room left: counted entries plus live leases
            // stay within what it needs.
            guard let taskID = try Int64.fetchOne(db, sql: """
                SELECT t.id FROM review_tasks t
                WHERE t.state = 'open'
                  AND NOT EXISTS (SELECT 1 FROM review_assignments a WHERE a.task_id = t.id AND a.account_id = ?1)
                  AND t.needed > (SELECT COUNT(*) FROM review_entries e
                                  WHERE e.task_id = t.id AND e.counts = 1 AND e.is_decision = 0)
                               + (SELECT COUNT(*) FROM review_assignments a WHERE a.task_id = t.id AND a.state = 'leased')
                ORDER BY t.id LIMIT 1
                """, arguments: [accountID]) else { return nil }
            try db.execute(sql: """
                INSERT INTO review_assignments (task_id, account_id, leased_at, leased_until) VALUES (?, ?, ?, ?)
                """, arguments: [taskID, accountID, at, until])
            return try Row.fetchOne(db, sql: "SELECT * FROM review_assignments WHERE id = ?", arguments: [db.lastInsertedRowID])
        }
        guard let leased else { return nil }
        let taskID: Int64 = leased["task_id"]
        // The page location is read outside the write transaction, so the lock is held only for the lease.
        let field = try read { db in try Self.location(db, taskID: taskID) }
        return ReviewAssignment(id: leased["id"], taskID: taskID, accountID: leased["account_id"],
                                leasedUntil: Date(timeIntervalSince1970: leased["leased_until"]), field: field)
    }

    public func submit(assignmentID: Int64, accountID: Int64, entry: ReviewEntryValue) throws(ReviewError) -> SubmitOutcome {
        let instant = now()
        let at = Self.timestamp(instant)
        return try write { db in
            guard let assignment = try Row.fetchOne(db, sql: "SELECT * FROM review_assignments WHERE id = ?", arguments: [assignmentID]),
                  assignment["account_id"] as Int64 == accountID else {
                throw ReviewError.notAssigned(assignmentID: assignmentID)
            }
            guard let account = try Self.account(db, id: accountID) else { throw ReviewError.unknownAccount(accountID) }
            if account.isSuspended { throw ReviewError.accountSuspended(account.name) }
            let taskID: Int64 = assignment["task_id"]
            let taskState = try String.fetchOne(db, sql: "SELECT state FROM review_tasks WHERE id = ?", arguments: [taskID])
            switch assignment["state"] as String {
            case "submitted":
                throw ReviewError.alreadySubmitted(taskID: taskID)
            case "expired":
                throw ReviewError.leaseExpired(assignmentID: assignmentID)
            case "released":
                if taskState == "confirmed" { throw ReviewError.alreadyDecided(taskID: taskID) }
                throw ReviewError.notAssigned(assignmentID: assignmentID)
            default:
                if (assignment["leased_until"] as Double) <= instant.timeIntervalSince1970 {
                    throw ReviewError.leaseExpired(assignmentID: assignmentID)
                }
            }
            if taskState != "open" { throw ReviewError.alreadyDecided(taskID: taskID) }
            let value = LoggedValue(entry)
            try db.execute(sql: """
                INSERT INTO review_entries (task_id, assignment_id, account_id, value_kind, value_number, entered_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [taskID, assignmentID, accountID, value.kind, value.number, at])
            let entryID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE review_assignments SET state = 'submitted' WHERE id = ?", arguments: [assignmentID])
            let judgement = try self.judge(db, taskID: taskID, at: at)
            try SQLiteProtocolStore.appendEvent(db, at: at, kind: ReviewEventKind.entry, subject: "task:\(taskID)",
                                                payload: EntryPayload(id: entryID, task: taskID, assignment: assignmentID,
                                                                      account: accountID, value: value,
                                                                      outcome: judgement.outcome.rawValue,
                                                                      final: judgement.final, decidedBy: judgement.decidedBy))
            var inconsistent = false
            if judgement.outcome == .confirmed {
                inconsistent = try Self.recheckRelations(db, taskID: taskID, at: at)
            }
            return SubmitOutcome(taskID: taskID, state: judgement.outcome, recordBecameInconsistent: inconsistent)
        }
    }

    public func decide(taskID: Int64, coordinatorID: Int64, entry: ReviewEntryValue) throws(ReviewError) -> SubmitOutcome {
        let at = timestamp()
        return try write { db in
            _ = try Self.coordinator(db, id: coordinatorID)
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM review_tasks WHERE id = ?", arguments: [taskID]) else {
                throw ReviewError.unknownTask(taskID)
            }
            if state == "confirmed" { throw ReviewError.alreadyDecided(taskID: taskID) }
            let value = LoggedValue(entry)
            try db.execute(sql: """
                INSERT INTO review_entries (task_id, assignment_id, account_id, value_kind, value_number, entered_at, is_decision)
                VALUES (?, NULL, ?, ?, ?, ?, 1)
                """, arguments: [taskID, coordinatorID, value.kind, value.number, at])
            let entryID = db.lastInsertedRowID
            try Self.confirm(db, taskID: taskID, value: value, decidedBy: "coordinator", at: at)
            try SQLiteProtocolStore.appendEvent(db, at: at, kind: ReviewEventKind.decision, subject: "task:\(taskID)",
                                                payload: EntryPayload(id: entryID, task: taskID, assignment: nil,
                                                                      account: coordinatorID, value: value, outcome: "confirmed",
                                                                      final: value, decidedBy: "coordinator"))
            let inconsistent = try Self.recheckRelations(db, taskID: taskID, at: at)
            return SubmitOutcome(taskID: taskID, state: .confirmed, recordBecameInconsistent: inconsistent)
        }
    }

    // MARK: - Judging

    struct Judgement {
        var outcome: SubmitOutcome.State
        var final: LoggedValue?
        var decidedBy: String?
    }

    /// Judges an undecided task from its counted volunteer entries and the machine's readings by
    /// `ReviewVerdict`, and stores its new state (confirmed, open with more entries needed, or conflict).
    func judge(_ db: Database, taskID: Int64, at: String) throws -> Judgement {
        guard let task = try Row.fetchOne(db, sql: "SELECT * FROM review_tasks WHERE id = ?", arguments: [taskID]) else {
            throw ReviewError.unknownTask(taskID)
        }
        if task["state"] as String == "confirmed" {
            return Judgement(outcome: .confirmed, final: LoggedValue(kind: task["final_kind"], number: task["final_number"]),
                             decidedBy: task["decided_by"])
        }
        let values = try Row.fetchAll(db, sql: """
            SELECT value_kind, value_number FROM review_entries WHERE task_id = ? AND counts = 1 AND is_decision = 0 ORDER BY id
            """, arguments: [taskID]).map { LoggedValue(kind: $0["value_kind"], number: $0["value_number"]) }
        let backing = agreement == .backed ? try Self.machineValues(db, task: task) : []
        let verdict = ReviewVerdict(entries: values, machineValues: backing, policy: policy,
                                    votesWithoutBacking: agreement == .backed ? 3 : 2,
                                    maximumEntries: agreement == .backed ? 4 : 3)
        switch verdict.outcome {
        case .confirmed(let value, let decidedBy):
            try Self.confirm(db, taskID: taskID, value: value, decidedBy: decidedBy, at: at)
            return Judgement(outcome: .confirmed, final: value, decidedBy: decidedBy)
        case .needsEntries(let needed):
            try db.execute(sql: "UPDATE review_tasks SET state = 'open', needed = ? WHERE id = ?", arguments: [needed, taskID])
            return Judgement(outcome: Set(values).count <= 1 ? .waiting : .conflict)
        case .conflict:
            try db.execute(sql: "UPDATE review_tasks SET state = 'conflict', needed = ? WHERE id = ?",
                           arguments: [values.count, taskID])
            return Judgement(outcome: .conflict)
        }
    }

    /// What backs a value independently of the typists: every machine reader's value for the field, and the
    /// value the form's arithmetic implied when the page was read.
    static func machineValues(_ db: Database, task: Row) throws -> Set<LoggedValue> {
        guard let json = try String.fetchOne(db, sql: "SELECT record_json FROM records WHERE id = ?",
                                             arguments: [task["record_id"] as Int64]),
              let record = try? JSONDecoder().decode(ProtocolRecord.self, from: Data(json.utf8)),
              let field = record.field(task["key"]) else { return [] }
        var values: Set<LoggedValue> = []
        for case .number(let n)? in field.readings.map(\.value) { values.insert(LoggedValue(kind: "number", number: n)) }
        if case .number(let n)? = field.suggestion?.value { values.insert(LoggedValue(kind: "number", number: n)) }
        return values
    }

    /// Makes a task final and releases any lease still out on it.
    static func confirm(_ db: Database, taskID: Int64, value: LoggedValue, decidedBy: String, at: String) throws {
        try db.execute(sql: """
            UPDATE review_tasks SET state = 'confirmed', final_kind = ?, final_number = ?, decided_by = ?, decided_at = ?
            WHERE id = ?
            """, arguments: [value.kind, value.number, decidedBy, at, taskID])
        try db.execute(sql: "UPDATE review_assignments SET state = 'released' WHERE task_id = ? AND state = 'leased'",
                       arguments: [taskID])
    }

    // MARK: - Reading the queue

    public func conflicts() throws(ReviewError) -> [ReviewTaskSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.id, (SELECT COUNT(*) FROM review_entries e WHERE e.task_id = t.id AND e.counts = 1) AS entries
                FROM review_tasks t WHERE t.state = 'conflict' ORDER BY t.id
                """).map { row in
                ReviewTaskSummary(taskID: row["id"], field: try Self.location(db, taskID: row["id"]), entries: row["entries"])
            }
        }
    }

    public func history(taskID: Int64) throws(ReviewError) -> [ReviewEntryRecord] {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM review_tasks WHERE id = ?)", arguments: [taskID]) == true else {
                throw ReviewError.unknownTask(taskID)
            }
            return try Self.entries(db, taskID: taskID)
        }
    }

    public func outcomes(recordID: Int64) throws(ReviewError) -> [String: FieldOutcome] {
        try read { db in try Self.outcomes(db, recordID: recordID) }
    }

    static func outcomes(_ db: Database, recordID: Int64) throws -> [String: FieldOutcome] {
        var outcomes: [String: FieldOutcome] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT id, key, final_kind, final_number, decided_by FROM review_tasks
            WHERE record_id = ? AND state = 'confirmed' ORDER BY ordinal
            """, arguments: [recordID]) {
            guard let value = LoggedValue(kind: row["final_kind"], number: row["final_number"]).value else { continue }
            let taskID: Int64 = row["id"]
            outcomes[row["key"]] = FieldOutcome(taskID: taskID, value: value, decidedBy: row["decided_by"],
                                                entries: try entries(db, taskID: taskID))
        }
        return outcomes
    }

    static func entries(_ db: Database, taskID: Int64) throws -> [ReviewEntryRecord] {
        try Row.fetchAll(db, sql: """
            SELECT e.*, a.name FROM review_entries e JOIN review_accounts a ON a.id = e.account_id
            WHERE e.task_id = ? ORDER BY e.id
            """, arguments: [taskID]).compactMap { row in
            guard let value = LoggedValue(kind: row["value_kind"], number: row["value_number"]).value else { return nil }
            return ReviewEntryRecord(id: row["id"], taskID: row["task_id"], accountID: row["account_id"], accountName: row["name"],
                                     value: value, enteredAt: row["entered_at"], counts: row["counts"] as Bool,
                                     isCoordinatorDecision: row["is_decision"] as Bool)
        }
    }

    public func progress() throws(ReviewError) -> ReviewProgress {
        try read { db in
            let counts = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS tasks, COALESCE(SUM(state = 'confirmed'), 0) AS confirmed,
                       COALESCE(SUM(state = 'conflict'), 0) AS conflict FROM review_tasks
                """)
            let tasks: Int = counts?["tasks"] ?? 0, confirmed: Int = counts?["confirmed"] ?? 0
            // Whether the first two counted volunteer entries of each decided task agreed.
            var firstTwo: [Int64: [LoggedValue]] = [:]
            var finals: [Int64: LoggedValue] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT t.id, t.final_kind, t.final_number, e.value_kind, e.value_number, e.counts, e.is_decision
                FROM review_tasks t JOIN review_entries e ON e.task_id = t.id
                WHERE t.state = 'confirmed' ORDER BY t.id, e.id
                """) {
                let id: Int64 = row["id"]
                finals[id] = LoggedValue(kind: row["final_kind"], number: row["final_number"])
                if row["counts"] as Bool, !(row["is_decision"] as Bool), firstTwo[id, default: []].count < 2 {
                    firstTwo[id, default: []].append(LoggedValue(kind: row["value_kind"], number: row["value_number"]))
                }
            }
            let pairs = firstTwo.values.filter { $0.count == 2 }
            let agreement = pairs.isEmpty ? nil : Double(pairs.filter { $0[0] == $0[1] }.count) / Double(pairs.count)

            var volunteers: [ReviewProgress.Volunteer] = []
            let formatter = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            for account in try Row.fetchAll(db, sql: """
                SELECT a.id, a.name, a.role, a.suspended_at,
                       (SELECT COUNT(*) FROM review_entries e WHERE e.account_id = a.id AND e.is_decision = 0) AS entries
                FROM review_accounts a ORDER BY a.id
                """) {
                let entries: Int = account["entries"]
                guard account["role"] as String == ReviewRole.volunteer.rawValue || entries > 0 else { continue }
                let id: Int64 = account["id"]
                let rows = try Row.fetchAll(db, sql: """
                    SELECT e.task_id, e.value_kind, e.value_number, e.entered_at, t.state FROM review_entries e
                    JOIN review_tasks t ON t.id = e.task_id WHERE e.account_id = ? AND e.is_decision = 0 ORDER BY e.id
                    """, arguments: [id])
                var rate = 0.0
                let times = rows.compactMap { try? formatter.parse($0["entered_at"] as String) }
                if let first = times.min(), let last = times.max() {
                    // At least a minute, so that a first burst does not read as thousands an hour.
                    rate = Double(times.count) / (max(last.timeIntervalSince(first), 60) / 3600)
                }
                let decided = rows.filter { $0["state"] as String == "confirmed" }
                let matching = decided.filter { row in
                    finals[row["task_id"]] == LoggedValue(kind: row["value_kind"], number: row["value_number"])
                }.count
                volunteers.append(ReviewProgress.Volunteer(
                    accountID: id, name: account["name"], entries: entries, entriesPerHour: rate,
                    agreementRate: decided.isEmpty ? nil : Double(matching) / Double(decided.count),
                    isSuspended: (account["suspended_at"] as String?) != nil))
            }
            return ReviewProgress(tasks: tasks, confirmed: confirmed, inConflict: counts?["conflict"] ?? 0,
                                  left: tasks - confirmed, agreementRate: agreement, volunteers: volunteers)
        }
    }

    // MARK: - Helpers

    static func record(_ db: Database, id: Int64) throws -> ProtocolRecord {
        guard let json = try String.fetchOne(db, sql: "SELECT record_json FROM records WHERE id = ?", arguments: [id]) else {
            throw StoreError.corrupt(path: "", detail: "review task names record \(id), which does not exist")
        }
        return try JSONDecoder().decode(ProtocolRecord.self, from: Data(json.utf8))
    }

    /// Where a task's field is on its page, and the bound its entries must respect.
    static func location(_ db: Database, taskID: Int64) throws -> ReviewFieldLocation {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT t.record_id, t.key, f.line, f.box, r.form_id, r.image_sha256, i.stored_path
            FROM review_tasks t JOIN fields f ON f.record_id = t.record_id AND f.ordinal = t.ordinal
            JOIN records r ON r.id = t.record_id JOIN images i ON i.sha256 = r.image_sha256 WHERE t.id = ?
            """, arguments: [taskID]) else { throw ReviewError.unknownTask(taskID) }
        let recordID: Int64 = row["record_id"], key: String = row["key"]
        let box = try (row["box"] as String?).map { try JSONDecoder().decode(ImageBox.self, from: Data($0.utf8)) }
        let record = try record(db, id: recordID)
        let bound = ReviewRelations.upperBound(of: key, relations: ReviewRelations.controlRelations(of: record),
                                               values: try trustedValues(db, recordID: recordID, record: record))
        return ReviewFieldLocation(recordID: recordID, formID: row["form_id"], key: key, line: row["line"], box: box,
                                   imageSHA256: row["image_sha256"], storedPath: row["stored_path"], upperBound: bound)
    }

    /// The counts people or the machine made final: accepted readings, overridden by confirmed entries (a field
    /// confirmed as illegible has no value).
    static func trustedValues(_ db: Database, recordID: Int64, record: ProtocolRecord) throws -> [String: Int] {
        var values: [String: Int] = [:]
        for field in record.fields where field.isTrusted {
            if let n = field.count { values[field.key] = n }
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT key, final_kind, final_number FROM review_tasks WHERE record_id = ? AND state = 'confirmed'
            """, arguments: [recordID]) {
            let key: String = row["key"]
            if row["final_kind"] as String == "number", let n = row["final_number"] as Int? {
                values[key] = n
            } else {
                values[key] = nil
            }
        }
        return values
    }

    /// After a field is confirmed: every relation on it whose fields are all accepted or confirmed is
    /// evaluated again; one that fails makes the record a finding (a row in review_findings and an event).
    /// Returns whether a new finding was made.
    static func recheckRelations(_ db: Database, taskID: Int64, at: String) throws -> Bool {
        guard let task = try Row.fetchOne(db, sql: "SELECT record_id, key FROM review_tasks WHERE id = ?", arguments: [taskID]) else {
            return false
        }
        let recordID: Int64 = task["record_id"], key: String = task["key"]
        let record = try record(db, id: recordID)
        let values = try trustedValues(db, recordID: recordID, record: record)
        var found = false
        for relation in ReviewRelations.controlRelations(of: record) where relation.keys.contains(key) {
            guard relation.keys.allSatisfy({ values[$0] != nil }),
                  let outcome = relation.evaluate(values), !outcome.holds else { continue }
            try db.execute(sql: """
                INSERT OR IGNORE INTO review_findings (record_id, relation_id, expression, left_value, right_value, task_id, found_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [recordID, relation.id, relation.expression, outcome.left, outcome.right, taskID, at])
            guard db.changesCount > 0 else { continue }
            let findingID = db.lastInsertedRowID
            try SQLiteProtocolStore.appendEvent(db, at: at, kind: ReviewEventKind.inconsistent, subject: "record:\(recordID)",
                                                payload: InconsistentPayload(finding: findingID, record: recordID,
                                                                             relation: relation.id, expression: relation.expression,
                                                                             left: outcome.left, right: outcome.right, task: taskID))
            found = true
        }
        return found
    }

    /// SHA-256 over the immutable columns of tasks `first...last`, as `review.enqueue` logs it.
    static func taskDigest(_ db: Database, first: Int64, last: Int64) throws -> String {
        var text = ""
        for row in try Row.fetchAll(db, sql: """
            SELECT id, record_id, ordinal, key, created_at FROM review_tasks WHERE id BETWEEN ? AND ? ORDER BY id
            """, arguments: [first, last]) {
            let parts: [String] = [String(row["id"] as Int64), String(row["record_id"] as Int64), String(row["ordinal"] as Int),
                                   row["key"], row["created_at"]]
            text += parts.joined(separator: "\u{1f}") + "\u{1e}"
        }
        return SHA256Digest.hex(of: Array(text.utf8))
    }
}
