import Foundation
import HattamaCore
@testable import HattamaStore
import XCTest

/// Queue latency with many tasks and 200 volunteers, each on its own thread. Skipped unless HATTAMA_REVIEW_BENCH
/// is set (its value: how many protocols, 4 uncertain fields each), because it takes a minute or more.
/// HATTAMA_REVIEW_BENCH_PACE is the seconds a volunteer spends on a field between calls (default 3, the pace the
/// issue asks for; 0 measures the store saturated):
/// `HATTAMA_REVIEW_BENCH=3000 swift test -c release -Xswiftc -enable-testing --filter ReviewQueueBenchmarkTests`.
final class ReviewQueueBenchmarkTests: XCTestCase {
    func testQueueLatencyWith200ConcurrentVolunteers() throws {
        guard let setting = ProcessInfo.processInfo.environment["HATTAMA_REVIEW_BENCH"], let protocols = Int(setting) else {
            throw XCTSkip("set HATTAMA_REVIEW_BENCH=<protocols> to run the queue benchmark")
        }
        let temp = try TemporaryStore()
        let store = try SQLiteProtocolStore(path: temp.databasePath)
        let keys = ["voters_on_list", "ballots_issued", "voters_participated", "votes.a", "votes.b", "votes.c"]
        let relations = [
            RelationRecord(id: "participated_within_issued", expression: "voters_participated <= ballots_issued",
                           holds: nil, left: nil, right: nil, keys: []),
            RelationRecord(id: "votes_add_up", expression: "voters_participated == sum(votes.*)", holds: nil, left: nil,
                           right: nil, keys: []),
        ]
        for index in 0..<protocols {
            let image = try temp.image("p\(index).png", content: "protocol \(index)")
            let fields = keys.enumerated().map { line, key in
                FieldRecord(key: key, line: line, kind: .count, value: .number(100), status: line < 2 ? .accepted : .uncertain,
                            confidence: 0.5, reasons: [], box: ImageBox(x: 0, y: 20 * line, width: 50, height: 18), readings: [])
            }
            let record = ProtocolRecord(form: nil, election: nil, precinct: nil,
                                        source: SourceImage(path: image.path, sha256: image.sha256, page: 1, width: 10, height: 10),
                                        registration: nil, fields: fields, relations: relations, status: .needsReview, problems: [])
            _ = try store.save(ImageSubmission(sha256: image.sha256, path: image.path, byteSize: image.size, records: [record]))
        }
        let review = try SQLiteReviewStore(store: store)
        let tasks = try review.enqueueUncertainFields()
        let people = try (0..<200).map { try review.createAccount(name: "v\($0)", passwordHash: "h", role: .volunteer, language: .en) }
        let pairs = 4000
        let pace = Double(ProcessInfo.processInfo.environment["HATTAMA_REVIEW_BENCH_PACE"] ?? "") ?? 3
        let log = LatencyLog()
        let started = Date()
        let done = DispatchGroup()
        for person in people {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                var random = SystemRandomNumberGenerator()
                // Volunteers arrive spread over one pace, then spend 0.5 to 1.5 paces on each field.
                Thread.sleep(forTimeInterval: pace * Double.random(in: 0..<1, using: &random))
                while log.claim(limit: pairs) {
                    defer { Thread.sleep(forTimeInterval: pace * Double.random(in: 0.5..<1.5, using: &random)) }
                    let start = Date()
                    guard let lease = try? review.nextAssignment(for: person.id) else { return }
                    let leased = Date()
                    _ = try? review.submit(assignmentID: lease.id, accountID: person.id, entry: .number(Int(lease.taskID % 7)))
                    log.add(next: leased.timeIntervalSince(start), submit: Date().timeIntervalSince(leased))
                }
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 600), .success)
        let wall = Date().timeIntervalSince(started)
        let (next, submit) = log.sorted()
        func percentile(_ values: [Double], _ q: Double) -> String {
            String(format: "%.1f ms", values[min(values.count - 1, Int(Double(values.count) * q))] * 1000)
        }
        print("review queue: \(protocols) protocols, \(tasks) tasks, pace \(pace) s, \(next.count) next+submit pairs in "
              + String(format: "%.1f s = %.0f/s", wall, Double(next.count) / wall)
              + "; nextAssignment p50 \(percentile(next, 0.5)) p99 \(percentile(next, 0.99))"
              + "; submit p50 \(percentile(submit, 0.5)) p99 \(percentile(submit, 0.99))")
        XCTAssertEqual(next.count, pairs)
        XCTAssertTrue(try store.verifyAudit().isIntact)
    }
}

/// Latencies from many threads, and a shared budget of calls.
final class LatencyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var next: [Double] = []
    private var submit: [Double] = []
    private var claimed = 0

    func claim(limit: Int) -> Bool {
        lock.withLock {
            guard claimed < limit else { return false }
            claimed += 1
            return true
        }
    }

    func add(next: Double, submit: Double) { lock.withLock { self.next.append(next); self.submit.append(submit) } }
    func sorted() -> (next: [Double], submit: [Double]) { lock.withLock { (next.sorted(), submit.sorted()) } }
}
