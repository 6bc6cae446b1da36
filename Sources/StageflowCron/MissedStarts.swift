import Foundation

/// The starts of a schedule that fell in a window and did not run: how many (counted up to a limit, so that a
/// wrong clock or decades of downtime cost no more than the limit) and the most recent one, always exact.
public struct MissedStarts: Sendable, Hashable {
    /// The latest start in the window, or `nil` when none fell in it.
    public var mostRecent: Date?
    /// Starts in the window, exact up to the limit; `limit + 1` when there were more.
    public var count: Int
    /// More starts than the limit fell in the window.
    public var exceedsLimit: Bool

    /// A count of missed starts.
    public init(mostRecent: Date?, count: Int, exceedsLimit: Bool) {
        self.mostRecent = mostRecent
        self.count = count
        self.exceedsLimit = exceedsLimit
    }
}

extension CronSchedule {
    /// The starts strictly after `earliest` and at or before `now` in `zone`. Counting stops past `limit` (100,
    /// as Kubernetes' CronJob controller does); the most recent start is then found directly.
    public func missedStarts(after earliest: Date, through now: Date, in zone: TimeZone, limit: Int = 100) -> MissedStarts {
        var count = 0
        var latest: Date?
        var cursor = earliest
        while let start = next(after: cursor, in: zone), start <= now {
            count += 1
            latest = start
            if count > limit {
                return MissedStarts(mostRecent: previous(atOrBefore: now, in: zone), count: count, exceedsLimit: true)
            }
            cursor = start
        }
        return MissedStarts(mostRecent: latest, count: count, exceedsLimit: false)
    }
}
