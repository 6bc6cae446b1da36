import Foundation

/// At most `limit` job creations per user in any sliding minute; a refused creation learns how many seconds
/// until the oldest one in the window leaves it (for `Retry-After`). State lives in memory only: a restart
/// forgives, which is acceptable for a limit that guards against runaway scripts, not a quota.
final class JobRateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var recent: [String: [ContinuousClock.Instant]] = [:]
    let limit: Int
    let window: Duration

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Records one creation by `user` and returns `nil`, or returns the whole seconds to wait when the user is
    /// at the limit (nothing is recorded then).
    func admit(_ user: String, now: ContinuousClock.Instant = .now) -> Int? {
        guard limit > 0 else { return nil }
        return lock.withLock {
            var times = (recent[user] ?? []).filter { now - $0 < window }
            defer { recent[user] = times.isEmpty ? nil : times }
            if times.count >= limit, let oldest = times.first {
                let wait = window - (now - oldest)
                return max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
            }
            times.append(now)
            return nil
        }
    }
}
