/// A schedule said in English, for people reading a list of schedules: `at 02:00 every day`, `every 15 minutes`,
/// `at 03:30 on Monday to Friday`, `at 00:00 on day 1 of the month in January`. Built from the parsed fields, so
/// `0 2 * * *` and `@daily`'s neighbours read alike whatever way they were written.
extension CronSchedule {
    /// The schedule in words, without its time zone.
    public var inWords: String {
        let minuteList = CronWords.values(minutes, in: CronField.minute.bounds)
        let hourList = CronWords.values(hours, in: CronField.hour.bounds)
        let time = CronWords.time(minutes: minuteList, hours: hourList)
        var parts = [time.text]
        if let days = dayPhrase {
            parts.append(days)
        } else if time.atFixedTimes {
            parts.append("every day")
        }
        let monthList = CronWords.values(months, in: CronField.month.bounds)
        if monthList.count < 12 {
            parts.append("in " + CronWords.spans(monthList) { CronWords.monthNames[$0 - 1] })
        }
        return parts.joined(separator: " ")
    }

    /// `on day 1 of the month`, `on Monday to Friday`, both joined by `or` when Vixie cron would match either.
    private var dayPhrase: String? {
        let dayList = CronWords.values(daysOfMonth, in: CronField.dayOfMonth.bounds)
        let weekdayList = Array(Set(CronWords.values(daysOfWeek, in: CronField.dayOfWeek.bounds).map { $0 % 7 })).sorted()
        var phrases: [String] = []
        if dayList.count < 31 {
            phrases.append("on day" + (dayList.count == 1 ? " " : "s ") + CronWords.spans(dayList) { String($0) } + " of the month")
        }
        if weekdayList.count < 7 {
            // Monday first, as people list a week.
            let ordered = weekdayList.map { $0 == 0 ? 7 : $0 }.sorted()
            phrases.append("on " + CronWords.spans(ordered) { CronWords.weekdayNames[$0 % 7] })
        }
        guard !phrases.isEmpty else { return nil }
        let either = !daysOfMonth.isWildcard && !daysOfWeek.isWildcard
        return phrases.joined(separator: either ? " or " : " and ")
    }
}

/// The wording pieces of `CronSchedule.inWords`.
enum CronWords {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The values of a field, ascending.
    static func values(_ field: CronValues, in bounds: ClosedRange<Int>) -> [Int] {
        bounds.filter { field.contains($0) }
    }

    /// The time of day part, and whether it names fixed times (so `every day` reads well after it).
    static func time(minutes: [Int], hours: [Int]) -> (text: String, atFixedTimes: Bool) {
        let everyMinute = minutes.count == 60
        let everyHour = hours.count == 24
        if everyMinute {
            return (everyHour ? "every minute" : "every minute " + hourRange(hours), false)
        }
        if let step = step(minutes, from: 0, through: 59) {
            return ("every \(step) minutes" + (everyHour ? "" : " " + hourRange(hours)), false)
        }
        if everyHour {
            if minutes == [0] { return ("every hour, on the hour", false) }
            return ("every hour at minute" + (minutes.count == 1 ? " " : "s ") + list(minutes.map(String.init)), false)
        }
        if minutes.count * hours.count <= 6 {
            let times = hours.flatMap { hour in minutes.map { clock(hour, $0) } }
            return ("at " + list(times), true)
        }
        let minuteText = minutes.count == 1 ? "minute \(minutes[0])" : "minutes " + list(minutes.map(String.init))
        if let step = step(hours, from: 0, through: 23) {
            return ("at \(minuteText) of every \(step) hours", false)
        }
        return ("at \(minuteText) of the hours " + spans(hours) { String($0) }, true)
    }

    /// `from 09:00 to 17:59`, or `in the hours 9, 13 and 17`.
    static func hourRange(_ hours: [Int]) -> String {
        if let first = hours.first, let last = hours.last, last - first + 1 == hours.count {
            return "from \(clock(first, 0)) to \(clock(last, 59))"
        }
        return "in the hours " + spans(hours) { String($0) }
    }

    /// The step `n` when `values` are exactly `from, from+n, …` up to `through`, for n > 1.
    static func step(_ values: [Int], from: Int, through: Int) -> Int? {
        guard values.count >= 2, values[0] == from else { return nil }
        let step = values[1] - values[0]
        guard step > 1, values.count == (through - from) / step + 1 else { return nil }
        return values.enumerated().allSatisfy { $0.element == from + $0.offset * step } ? step : nil
    }

    /// `02:05`.
    static func clock(_ hour: Int, _ minute: Int) -> String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    /// Ascending values with runs of three or more said as `first to last`: `Monday to Friday`, `1, 15 and 20 to 25`.
    static func spans(_ values: [Int], name: (Int) -> String) -> String {
        var items: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count, values[end + 1] == values[end] + 1 { end += 1 }
            if end - index >= 2 {
                items.append(name(values[index]) + " to " + name(values[end]))
            } else {
                items += values[index...end].map(name)
            }
            index = end + 1
        }
        return list(items)
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
    }
}
