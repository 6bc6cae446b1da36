import Foundation

/// Wall-clock readings of one time zone, in seconds since 1970-01-01 00:00 *local* time, and the instants
/// (seconds since the Unix epoch) they stand for.
struct ZoneClock {
    let zone: TimeZone

    /// Seconds east of UTC at `instant`.
    func offset(_ instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The wall-clock reading at `instant`.
    func wall(_ instant: Int64) -> Int64 { instant + offset(instant) }

    /// The first instant whose wall-clock reading is at or past `wall`. This one rule gives what a schedule
    /// needs on daylight-saving days: a reading that exists once maps to its instant; one that exists twice
    /// (the clock falls back) to its first occurrence; one that does not exist (the clock springs forward) to
    /// the first instant after the gap. Assumes at most one offset change within a day of `wall`.
    func firstInstant(reaching wall: Int64) -> Int64 {
        let offsets = Set([offset(wall - 86_400), offset(wall), offset(wall + 86_400)])
        let valid = offsets.map { wall - $0 }.filter { self.wall($0) == wall }
        if let first = valid.min() { return first }
        // In a gap: the reading jumps over `wall` somewhere between these two instants.
        var low = wall - offsets.max()!
        var high = wall - offsets.min()!
        while low < high {
            let middle = low + (high - low) / 2
            if self.wall(middle) >= wall {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }

    /// An upper bound of the wall-clock readings at or before `instant` (after a fall-back the clock has read
    /// later times than it reads now).
    func latestWall(atOrBefore instant: Int64) -> Int64 {
        instant + max(offset(instant), offset(instant - 86_400))
    }
}
