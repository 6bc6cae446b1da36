import Foundation

extension CronSchedule {
    /// How far ahead or back a start is looked for: enough for February 29 across a century year (eight years).
    static let searchDays: Int64 = 9 * 366

    /// The first start strictly after `instant` in `zone`, or `nil` when none falls within nine years.
    /// Daylight saving: a wall-clock time the clock skips starts at the first instant after the gap (once, however
    /// many skipped times match); one the clock passes twice starts at its first occurrence only.
    public func next(after instant: Date, in zone: TimeZone) -> Date? {
        let clock = ZoneClock(zone: zone)
        let after = Int64(instant.timeIntervalSince1970.rounded(.down))
        // Every wall-clock time up to the current reading maps to an instant at or before `after`.
        var wall = Self.floorMinute(clock.wall(after)) + 60
        while let candidate = nextWall(atOrAfter: wall) {
            let start = clock.firstInstant(reaching: candidate)
            if start > after { return Date(timeIntervalSince1970: TimeInterval(start)) }
            wall = candidate + 60
        }
        return nil
    }

    /// The last start at or before `instant` in `zone`, or `nil` when none falls within nine years.
    public func previous(atOrBefore instant: Date, in zone: TimeZone) -> Date? {
        let clock = ZoneClock(zone: zone)
        let before = Int64(instant.timeIntervalSince1970.rounded(.down))
        var wall = Self.floorMinute(clock.latestWall(atOrBefore: before))
        while let candidate = previousWall(atOrBefore: wall) {
            let start = clock.firstInstant(reaching: candidate)
            if start <= before { return Date(timeIntervalSince1970: TimeInterval(start)) }
            wall = candidate - 60
        }
        return nil
    }

    /// The first matching wall-clock minute at or after `wall` (local seconds, a whole minute).
    func nextWall(atOrAfter wall: Int64) -> Int64? {
        var days = Self.floorDivide(wall, 86_400)
        var minuteOfDay = Int((wall - days * 86_400) / 60)
        let limit = days + Self.searchDays
        while days <= limit {
            let date = CivilDate(days: days)
            if !months.contains(date.month) {
                days = date.firstOfNextMonth.days
                minuteOfDay = 0
                continue
            }
            if matches(date, days: days), let minute = firstMinute(atOrAfter: minuteOfDay) {
                return days * 86_400 + Int64(minute) * 60
            }
            days += 1
            minuteOfDay = 0
        }
        return nil
    }

    /// The last matching wall-clock minute at or before `wall` (local seconds, a whole minute).
    func previousWall(atOrBefore wall: Int64) -> Int64? {
        var days = Self.floorDivide(wall, 86_400)
        var minuteOfDay = Int((wall - days * 86_400) / 60)
        let limit = days - Self.searchDays
        while days >= limit {
            let date = CivilDate(days: days)
            if !months.contains(date.month) {
                days = date.lastOfPreviousMonth.days
                minuteOfDay = 24 * 60 - 1
                continue
            }
            if matches(date, days: days), let minute = lastMinute(atOrBefore: minuteOfDay) {
                return days * 86_400 + Int64(minute) * 60
            }
            days -= 1
            minuteOfDay = 24 * 60 - 1
        }
        return nil
    }

    /// The first matching minute of a day at or after `minuteOfDay`.
    private func firstMinute(atOrAfter minuteOfDay: Int) -> Int? {
        var hour = minuteOfDay / 60
        var minute = minuteOfDay % 60
        while let matchingHour = hours.first(atOrAfter: hour), matchingHour < 24 {
            if matchingHour != hour { minute = 0 }
            if let matchingMinute = minutes.first(atOrAfter: minute), matchingMinute < 60 {
                return matchingHour * 60 + matchingMinute
            }
            hour = matchingHour + 1
            minute = 0
        }
        return nil
    }

    /// The last matching minute of a day at or before `minuteOfDay`.
    private func lastMinute(atOrBefore minuteOfDay: Int) -> Int? {
        var hour = minuteOfDay / 60
        var minute = minuteOfDay % 60
        while let matchingHour = hours.last(atOrBefore: hour) {
            if matchingHour != hour { minute = 59 }
            if let matchingMinute = minutes.last(atOrBefore: minute) {
                return matchingHour * 60 + matchingMinute
            }
            hour = matchingHour - 1
            minute = 59
        }
        return nil
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    static func floorMinute(_ seconds: Int64) -> Int64 { floorDivide(seconds, 60) * 60 }
}
