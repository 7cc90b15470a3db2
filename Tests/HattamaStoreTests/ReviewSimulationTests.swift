import Foundation
import HattamaCore
@testable import HattamaStore
import XCTest

/// Simulated volunteers who mistype 2% of their entries work through a queue until it is empty: every field
/// must end confirmed with its true value.
final class ReviewSimulationTests: XCTestCase {
    func testVolunteersWithATwoPercentTypingErrorRateConfirmEveryFieldCorrectly() throws {
        let fixture = try ReviewFixture()
        var truth: [String: Int] = [:]  // "record/key" -> the value on the paper
        var random = SeededRandom(seed: 6)
        let keys = ["ballots_issued", "voters_participated", "votes.a", "votes.b"]
        for _ in 0..<40 {
            let record = try fixture.addProtocol(accepted: [:], uncertain: keys)
            for key in keys { truth["\(record)/\(key)"] = Int.random(in: 0...3000, using: &random) }
        }
        XCTAssertEqual(try fixture.review.enqueueUncertainFields(), 160)
        let people = try fixture.volunteers(8)
        var typos = 0, entries = 0, decisions = 0
        var active = true
        while active {
            active = false
            for person in people {
                guard let assignment = try fixture.review.nextAssignment(for: person.id) else { continue }
                active = true
                var value = try XCTUnwrap(truth["\(assignment.field.recordID)/\(assignment.field.key)"])
                if Double.random(in: 0..<1, using: &random) < 0.02 {
                    typos += 1
                    value += Int.random(in: 1...9, using: &random) * (Bool.random(using: &random) ? 1 : 10)
                }
                _ = try fixture.review.submit(assignmentID: assignment.id, accountID: person.id, entry: .number(value))
                entries += 1
            }
            // A coordinator settles three-way disagreements from the paper.
            for conflict in try fixture.review.conflicts() {
                let value = try XCTUnwrap(truth["\(conflict.field.recordID)/\(conflict.field.key)"])
                _ = try fixture.review.decide(taskID: conflict.taskID, coordinatorID: fixture.coordinator.id, entry: .number(value))
                decisions += 1
            }
        }
        print("review simulation: \(entries) entries with \(typos) typos, \(decisions) coordinator decisions")
        XCTAssertGreaterThan(typos, 0, "the simulation made mistakes to catch")
        let progress = try fixture.review.progress()
        XCTAssertEqual(progress.confirmed, 160)
        XCTAssertEqual(progress.left, 0)
        var wrong = 0
        for record in Set(truth.keys.map { Int64($0.split(separator: "/")[0])! }) {
            for (key, outcome) in try fixture.review.outcomes(recordID: record) where outcome.value != .number(truth["\(record)/\(key)"]!) {
                wrong += 1
            }
        }
        XCTAssertEqual(wrong, 0)
        XCTAssertLessThan(progress.agreementRate ?? 0, 1, "typos showed up as disagreements")
        XCTAssertTrue(try fixture.review.store.verifyAudit().isIntact)
    }
}

/// SplitMix64: the same numbers on every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
