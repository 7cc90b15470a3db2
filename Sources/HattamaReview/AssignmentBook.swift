import Foundation
import HattamaStore
import NIOConcurrencyHelpers

/// The assignments this server handed out, so a crop or a submission can be checked against the account that
/// holds it (and its upper bound known) without another lease. After a restart the store is asked again.
final class AssignmentBook: Sendable {
    private let assignments = NIOLockedValueBox<[Int64: ReviewAssignment]>([:])

    func remember(_ assignment: ReviewAssignment) {
        assignments.withLockedValue { book in
            if book.count > 50_000 {
                let now = Date()
                book = book.filter { $0.value.leasedUntil > now }
            }
            book[assignment.id] = assignment
        }
    }

    func assignment(_ id: Int64) -> ReviewAssignment? { assignments.withLockedValue { $0[id] } }

    func forget(_ id: Int64) { _ = assignments.withLockedValue { $0.removeValue(forKey: id) } }
}
