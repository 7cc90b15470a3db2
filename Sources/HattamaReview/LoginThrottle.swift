import Foundation
import NIOConcurrencyHelpers

/// Slows password guessing: after `limit` failed sign-ins for one name within `window`, that name is refused
/// until the oldest failure leaves the window. Kept in memory; a restart forgets it.
final class LoginThrottle: Sendable {
    private let limit: Int
    private let window: TimeInterval
    private let failures = NIOLockedValueBox<[String: [Date]]>([:])

    init(limit: Int = 10, window: TimeInterval = 600) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before this name may try again, or nil when it may try now.
    func waitBeforeTrying(_ name: String, now: Date = Date()) -> TimeInterval? {
        failures.withLockedValue { book in
            let recent = (book[name.lowercased()] ?? []).filter { now.timeIntervalSince($0) < window }
            book[name.lowercased()] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return window - now.timeIntervalSince(oldest)
        }
    }

    func recordFailure(_ name: String, now: Date = Date()) {
        failures.withLockedValue { book in
            if book.count > 100_000 { book.removeAll() }
            book[name.lowercased(), default: []].append(now)
        }
    }

    func recordSuccess(_ name: String) {
        _ = failures.withLockedValue { $0.removeValue(forKey: name.lowercased()) }
    }
}
