/// A parsed five-field cron expression (minute hour day-of-month month day-of-week), as Vixie cron reads it:
/// lists, ranges, steps, `*` and `?`, month and weekday names, and the macros `@yearly` `@annually`
/// `@monthly` `@weekly` `@daily` `@midnight` `@hourly`. When day-of-month and day-of-week are both restricted
/// (neither starts with `*` or `?`), a day matches if either does. `TZ=` and `CRON_TZ=` prefixes are refused:
/// a schedule's time zone is given apart from its expression.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression as given.
    public let expression: String
    let minutes: CronValues
    let hours: CronValues
    let daysOfMonth: CronValues
    let months: CronValues
    let daysOfWeek: CronValues

    /// The macros and the expressions they stand for.
    public static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses `expression`, or throws what is wrong with it, naming the field.
    public init(parsing expression: String) throws(CronError) {
        self.expression = expression
        let trimmed = expression.trimmingWhitespace
        guard !trimmed.isEmpty else { throw CronError(field: nil, text: expression, problem: "the schedule is empty") }
        if trimmed.hasPrefix("TZ=") || trimmed.hasPrefix("CRON_TZ=") {
            throw CronError(
                field: nil, text: expression,
                problem: "TZ= and CRON_TZ= are not supported in the schedule; give the time zone in timeZone")
        }
        var text = trimmed
        if trimmed.hasPrefix("@") {
            let macro = trimmed.prefix { !$0.isWhitespace }.lowercased()
            if Self.macros[macro] != nil, macro.count < trimmed.count {
                throw CronError(field: nil, text: expression, problem: "a macro stands alone, without fields")
            }
            guard let expanded = Self.macros[macro] else {
                throw CronError(
                    field: nil, text: expression,
                    problem: "unknown macro; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly")
            }
            text = expanded
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == CronField.allCases.count else {
            throw CronError(
                field: nil, text: expression,
                problem: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try CronFieldParser(field: .minute).parse(fields[0])
        hours = try CronFieldParser(field: .hour).parse(fields[1])
        daysOfMonth = try CronFieldParser(field: .dayOfMonth).parse(fields[2])
        months = try CronFieldParser(field: .month).parse(fields[3])
        daysOfWeek = try CronFieldParser(field: .dayOfWeek).parse(fields[4])
        if !daysOfMonth.isWildcard, daysOfWeek.isWildcard, !daysOfMonthFallInMonths {
            throw CronError(
                field: .dayOfMonth, text: fields[2], problem: "no such day in the months of field 4 \"\(fields[3])\"")
        }
    }

    public var description: String { expression }

    /// Whether some selected day of the month exists in some selected month (February counted with 29 days).
    private var daysOfMonthFallInMonths: Bool {
        (1...12).contains { month in
            months.contains(month) && daysOfMonth.first(atOrAfter: 1).map { $0 <= CivilDate.length(ofMonth: month, year: 2000) } == true
        }
    }

    /// Whether the schedule runs on this day at all.
    func matches(_ date: CivilDate, days: Int64) -> Bool {
        guard months.contains(date.month) else { return false }
        let dayOfMonth = daysOfMonth.contains(date.day)
        let dayOfWeek = daysOfWeek.contains(CivilDate.weekday(days: days))
        if daysOfMonth.isWildcard || daysOfWeek.isWildcard { return dayOfMonth && dayOfWeek }
        return dayOfMonth || dayOfWeek
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
