import Foundation
import GRDB
import HattamaCore

/// Recomputes the event chain and checks the rows each event vouches for.
struct AuditVerifier {
    let db: Database
    let vault: ImageVault

    func run() throws -> AuditReport {
        var report = AuditReport(events: 0, firstBrokenLink: nil, rowProblems: [])
        var expectedSeq: Int64 = 1
        var prev = AuditChain.genesis
        var vouchedRecords = Set<Int64>()
        var review = ReviewAuditLog()
        let decoder = JSONDecoder()
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM events ORDER BY seq")
        while let row = try cursor.next() {
            report.events += 1
            let seq: Int64 = row["seq"]
            let at: String = row["at"], kind: String = row["kind"], subject: String = row["subject"]
            let payload: String = row["payload"], prevHash: String = row["prev_hash"], hash: String = row["hash"]
            if report.firstBrokenLink == nil {
                if seq != expectedSeq {
                    report.firstBrokenLink = AuditProblem(seq: seq, detail: "expected event \(expectedSeq) here: events were removed")
                } else if prevHash != prev {
                    report.firstBrokenLink = AuditProblem(seq: seq, detail: "prev_hash does not match the hash of event \(seq - 1)")
                } else if AuditChain.hash(prev: prevHash, seq: seq, at: at, kind: kind, subject: subject, payload: payload) != hash {
                    report.firstBrokenLink = AuditProblem(seq: seq, detail: "content does not match its hash: the event was edited")
                }
            }
            expectedSeq = seq + 1
            prev = hash
            switch kind {
            case EventKind.imageRead:
                guard let logged = try? decoder.decode(ImageReadPayload.self, from: Data(payload.utf8)) else {
                    report.rowProblems.append(AuditProblem(seq: seq, detail: "unreadable payload"))
                    continue
                }
                report.rowProblems += try check(logged, seq: seq)
                vouchedRecords.formUnion(logged.records.map(\.id))
            case EventKind.failure:
                guard let logged = try? decoder.decode(FailurePayload.self, from: Data(payload.utf8)) else { continue }
                let row = try Row.fetchOne(db, sql: "SELECT * FROM failures WHERE id = ?", arguments: [logged.id])
                if row == nil || row?["path"] != logged.path || row?["reason"] != logged.reason || row?["sha256"] != logged.sha256 {
                    report.rowProblems.append(AuditProblem(seq: seq, detail: "failure \(logged.id) (\(logged.path)) was changed or removed"))
                }
            case _ where kind.hasPrefix("review."):
                if let problem = review.note(seq: seq, at: at, kind: kind, payload: payload) { report.rowProblems.append(problem) }
            default:
                break
            }
        }
        report.rowProblems += try review.check(db)
        let unvouched = try Int64.fetchAll(db, sql: "SELECT id FROM records ORDER BY id").filter { !vouchedRecords.contains($0) }
        for id in unvouched.prefix(20) {
            report.rowProblems.append(AuditProblem(seq: nil, detail: "record \(id) has no event: it was inserted outside hattama"))
        }
        return report
    }

    private func check(_ logged: ImageReadPayload, seq: Int64) throws -> [AuditProblem] {
        var problems: [AuditProblem] = []
        let image = try Row.fetchOne(db, sql: "SELECT * FROM images WHERE sha256 = ?", arguments: [logged.sha256])
        if image == nil {
            problems.append(AuditProblem(seq: seq, detail: "image \(logged.sha256) was removed"))
        } else if image?["original_path"] != logged.path || image?["byte_size"] != logged.byteSize
                    || image?["stored_path"] != logged.storedPath {
            problems.append(AuditProblem(seq: seq, detail: "image \(logged.sha256) row was changed"))
        }
        for digest in logged.records {
            guard let record = try Row.fetchOne(db, sql: "SELECT * FROM records WHERE id = ?", arguments: [digest.id]) else {
                problems.append(AuditProblem(seq: seq, detail: "record \(digest.id) was removed"))
                continue
            }
            let json: String = record["record_json"]
            if record["image_sha256"] != logged.sha256 || record["page"] != digest.page || record["status"] != digest.status
                || SHA256Digest.hex(of: Array(json.utf8)) != digest.recordSHA256 {
                problems.append(AuditProblem(seq: seq, detail: "record \(digest.id) was changed"))
            }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM fields WHERE record_id = ? ORDER BY ordinal", arguments: [digest.id])
                .map(FieldRow.init(row:))
            if FieldRow.digest(rows) != digest.fieldsSHA256 {
                problems.append(AuditProblem(seq: seq, detail: "fields of record \(digest.id) were changed"))
            }
        }
        return problems
    }
}
