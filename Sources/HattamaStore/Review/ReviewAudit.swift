import Foundation
import GRDB
import HattamaCore

/// The review events of the log, collected while the verifier walks the chain, then checked against the
/// `review_*` rows: every account, invitation, task, entry, decision, void and finding must match the event
/// that recorded it, and no row may lack one.
struct ReviewAuditLog {
    private struct Logged<Payload> {
        var seq: Int64
        var at: String
        var payload: Payload
    }

    private var accounts: [Int64: Logged<AccountCreatedPayload>] = [:]
    private var invitations: [Int64: Logged<InvitationCreatedPayload>] = [:]
    private var suspensions: [Int64: Logged<SuspendedPayload>] = [:]
    /// Entry id -> the suspension event that voided it.
    private var voids: [Int64: Int64] = [:]
    private var enqueues: [Logged<EnqueuedPayload>] = []
    private var entries: [Int64: (logged: Logged<EntryPayload>, isDecision: Bool)] = [:]
    /// Task id -> the entry or decision event that made it final.
    private var decisions: [Int64: Logged<EntryPayload>] = [:]
    private var findings: [Int64: Logged<InconsistentPayload>] = [:]
    private(set) var isEmpty = true

    /// Takes one `review.*` event; returns a problem when its payload cannot be read.
    mutating func note(seq: Int64, at: String, kind: String, payload: String) -> AuditProblem? {
        isEmpty = false
        let data = Data(payload.utf8)
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type) -> Logged<T>? {
            (try? decoder.decode(type, from: data)).map { Logged(seq: seq, at: at, payload: $0) }
        }
        switch kind {
        case ReviewEventKind.accountCreated:
            guard let logged = decode(AccountCreatedPayload.self) else { break }
            accounts[logged.payload.id] = logged
            return nil
        case ReviewEventKind.invitationCreated:
            guard let logged = decode(InvitationCreatedPayload.self) else { break }
            invitations[logged.payload.id] = logged
            return nil
        case ReviewEventKind.suspended:
            guard let logged = decode(SuspendedPayload.self) else { break }
            suspensions[logged.payload.account] = logged
            for id in logged.payload.voidedEntries { voids[id] = seq }
            return nil
        case ReviewEventKind.enqueued:
            guard let logged = decode(EnqueuedPayload.self) else { break }
            enqueues.append(logged)
            return nil
        case ReviewEventKind.entry, ReviewEventKind.decision:
            guard let logged = decode(EntryPayload.self) else { break }
            entries[logged.payload.id] = (logged, kind == ReviewEventKind.decision)
            if logged.payload.final != nil { decisions[logged.payload.task] = logged }
            return nil
        case ReviewEventKind.inconsistent:
            guard let logged = decode(InconsistentPayload.self) else { break }
            findings[logged.payload.finding] = logged
            return nil
        default:
            return nil
        }
        return AuditProblem(seq: seq, detail: "unreadable \(kind) payload")
    }

    /// Compares the rows with the events; at most `limit` problems of each kind of row.
    func check(_ db: Database, limit: Int = 20) throws -> [AuditProblem] {
        guard try db.tableExists("review_entries") else {
            return isEmpty ? [] : [AuditProblem(seq: nil, detail: "the review tables were removed although the log has review events")]
        }
        var problems: [AuditProblem] = []
        problems += try checkAccounts(db).prefix(limit)
        problems += try checkInvitations(db).prefix(limit)
        problems += try checkTasks(db).prefix(limit)
        problems += try checkEntries(db).prefix(limit)
        problems += try checkFindings(db).prefix(limit)
        return problems
    }

    private func checkAccounts(_ db: Database) throws -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var seen = Set<Int64>()
        for row in try Row.fetchAll(db, sql: "SELECT * FROM review_accounts ORDER BY id") {
            let id: Int64 = row["id"]
            seen.insert(id)
            guard let logged = accounts[id] else {
                problems.append(AuditProblem(seq: nil, detail: "account \(id) has no event: it was inserted outside hattama"))
                continue
            }
            if row["name"] != logged.payload.name || row["role"] != logged.payload.role
                || row["invitation_id"] != logged.payload.invitation || row["created_at"] != logged.at {
                problems.append(AuditProblem(seq: logged.seq, detail: "account \(id) was changed (name, role or invitation)"))
            }
            let suspendedAt: String? = row["suspended_at"]
            if let suspension = suspensions[id] {
                if suspendedAt != suspension.at || row["suspended_by"] != suspension.payload.by {
                    problems.append(AuditProblem(seq: suspension.seq, detail: "account \(id) was suspended but its row says otherwise"))
                }
            } else if suspendedAt != nil {
                problems.append(AuditProblem(seq: nil, detail: "account \(id) is marked suspended without a suspension event"))
            }
        }
        for (id, logged) in accounts where !seen.contains(id) {
            problems.append(AuditProblem(seq: logged.seq, detail: "account \(id) was removed"))
        }
        return problems.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
    }

    private func checkInvitations(_ db: Database) throws -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var seen = Set<Int64>()
        let redeemed = Dictionary(accounts.values.compactMap { logged in logged.payload.invitation.map { ($0, logged.payload.id) } },
                                  uniquingKeysWith: { first, _ in first })
        for row in try Row.fetchAll(db, sql: "SELECT * FROM review_invitations ORDER BY id") {
            let id: Int64 = row["id"]
            seen.insert(id)
            guard let logged = invitations[id] else {
                problems.append(AuditProblem(seq: nil, detail: "invitation \(id) has no event: it was inserted outside hattama"))
                continue
            }
            if row["role"] != logged.payload.role || row["created_by"] != logged.payload.createdBy || row["created_at"] != logged.at
                || row["used_by"] != redeemed[id] {
                problems.append(AuditProblem(seq: logged.seq, detail: "invitation \(id) was changed"))
            }
        }
        for (id, logged) in invitations where !seen.contains(id) {
            problems.append(AuditProblem(seq: logged.seq, detail: "invitation \(id) was removed"))
        }
        return problems
    }

    private func checkTasks(_ db: Database) throws -> [AuditProblem] {
        var problems: [AuditProblem] = []
        for logged in enqueues {
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM review_tasks WHERE id BETWEEN ? AND ?",
                                         arguments: [logged.payload.first, logged.payload.last]) ?? 0
            let digest = try SQLiteReviewStore.taskDigest(db, first: logged.payload.first, last: logged.payload.last)
            if count != logged.payload.count || digest != logged.payload.digest {
                problems.append(AuditProblem(seq: logged.seq, detail: "review tasks \(logged.payload.first)-\(logged.payload.last) were changed or removed"))
            }
        }
        let ranges = enqueues.map { $0.payload.first...$0.payload.last }
        var decided = Set<Int64>()
        for row in try Row.fetchAll(db, sql: """
            SELECT t.id, t.state, t.final_kind, t.final_number, t.decided_by,
                   (SELECT COUNT(*) FROM review_entries e WHERE e.task_id = t.id AND e.counts = 1 AND e.is_decision = 0) AS counted
            FROM review_tasks t ORDER BY t.id
            """) {
            let id: Int64 = row["id"]
            if !ranges.contains(where: { $0.contains(id) }) {
                problems.append(AuditProblem(seq: nil, detail: "review task \(id) has no event: it was inserted outside hattama"))
            }
            if row["state"] as String == "conflict", (row["counted"] as Int) < 2 {
                // Hiding a field from the queue: a conflict needs two counted entries that differ.
                problems.append(AuditProblem(seq: nil, detail: "review task \(id) is marked in conflict with fewer than two entries"))
            }
            guard row["state"] as String == "confirmed" else { continue }
            decided.insert(id)
            guard let logged = decisions[id] else {
                problems.append(AuditProblem(seq: nil, detail: "review task \(id) is marked confirmed without an entry or decision that confirmed it"))
                continue
            }
            if LoggedValue(kind: row["final_kind"], number: row["final_number"]) != logged.payload.final
                || row["decided_by"] != logged.payload.decidedBy {
                problems.append(AuditProblem(seq: logged.seq, detail: "the final value of review task \(id) was changed"))
            }
        }
        for (id, logged) in decisions where !decided.contains(id) {
            problems.append(AuditProblem(seq: logged.seq, detail: "review task \(id) was confirmed but its row is no longer confirmed"))
        }
        return problems.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
    }

    private func checkEntries(_ db: Database) throws -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var seen = Set<Int64>()
        for row in try Row.fetchAll(db, sql: "SELECT * FROM review_entries ORDER BY id") {
            let id: Int64 = row["id"]
            seen.insert(id)
            guard let (logged, isDecision) = entries[id] else {
                problems.append(AuditProblem(seq: nil, detail: "review entry \(id) has no event: it was inserted outside hattama"))
                continue
            }
            let entry = logged.payload
            if row["task_id"] != entry.task || row["account_id"] != entry.account || row["assignment_id"] != entry.assignment
                || LoggedValue(kind: row["value_kind"], number: row["value_number"]) != entry.value
                || row["is_decision"] as Bool != isDecision || row["entered_at"] != logged.at {
                problems.append(AuditProblem(seq: logged.seq, detail: "review entry \(id) was changed (task, author or value)"))
            }
            let counts: Bool = row["counts"]
            if counts == (voids[id] != nil) {
                problems.append(AuditProblem(seq: voids[id] ?? logged.seq,
                                             detail: counts ? "review entry \(id) was voided by a suspension but counts again"
                                                            : "review entry \(id) was voided without a suspension"))
            }
        }
        for (id, logged) in entries where !seen.contains(id) {
            problems.append(AuditProblem(seq: logged.logged.seq, detail: "review entry \(id) was removed"))
        }
        return problems.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
    }

    private func checkFindings(_ db: Database) throws -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var seen = Set<Int64>()
        for row in try Row.fetchAll(db, sql: "SELECT * FROM review_findings ORDER BY id") {
            let id: Int64 = row["id"]
            seen.insert(id)
            guard let logged = findings[id] else {
                problems.append(AuditProblem(seq: nil, detail: "finding \(id) has no event: it was inserted outside hattama"))
                continue
            }
            let finding = logged.payload
            if row["record_id"] != finding.record || row["relation_id"] != finding.relation || row["left_value"] != finding.left
                || row["right_value"] != finding.right || row["task_id"] != finding.task {
                problems.append(AuditProblem(seq: logged.seq, detail: "finding \(id) was changed"))
            }
        }
        for (id, logged) in findings where !seen.contains(id) {
            problems.append(AuditProblem(seq: logged.seq, detail: "finding \(id) on record \(logged.payload.record) was removed"))
        }
        return problems
    }
}
