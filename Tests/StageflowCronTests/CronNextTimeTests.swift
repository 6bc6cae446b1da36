import Foundation
import StageflowCron
import Testing

/// Start times over a table of zones and days: daylight-saving days in Europe/Berlin (2025-03-30, 2025-10-26,
/// changes at 01:00 UTC) and America/New_York (2025-03-09 at 07:00 UTC, 2025-11-02 at 06:00 UTC), February 29,
/// day-of-month with day-of-week, and every macro.
@Suite("Cron start times")
struct CronNextTimeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var zone: String?
        var after: String
        /// The next starts, in order.
        var starts: [String]
        var note: String
        var testDescription: String { "\(expression) in \(zone ?? "UTC") after \(after): \(note)" }
    }

    static let cases: [Case] = [
        // Europe/Berlin, spring forward: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        Case(
            expression: "30 2 * * *", zone: "Europe/Berlin", after: "2025-03-29T12:00:00Z",
            starts: ["2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"], note: "a skipped time runs at the end of the gap"),
        Case(
            expression: "0 3 * * *", zone: "Europe/Berlin", after: "2025-03-29T12:00:00Z",
            starts: ["2025-03-30T01:00:00Z", "2025-03-31T01:00:00Z"], note: "the first time after the gap"),
        Case(
            expression: "*/15 * * * *", zone: "Europe/Berlin", after: "2025-03-30T00:40:00Z",
            starts: ["2025-03-30T00:45:00Z", "2025-03-30T01:00:00Z", "2025-03-30T01:15:00Z"],
            note: "four skipped times and 03:00 run once"),
        Case(
            expression: "0 9 * * *", zone: "Europe/Berlin", after: "2025-03-29T00:00:00Z",
            starts: ["2025-03-29T08:00:00Z", "2025-03-30T07:00:00Z"], note: "the offset changes overnight"),
        // Europe/Berlin, fall back: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:00-02:59 happen twice.
        Case(
            expression: "30 2 * * *", zone: "Europe/Berlin", after: "2025-10-25T12:00:00Z",
            starts: ["2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"], note: "a doubled time runs at its first occurrence only"),
        Case(
            expression: "0 * * * *", zone: "Europe/Berlin", after: "2025-10-25T23:30:00Z",
            starts: ["2025-10-26T00:00:00Z", "2025-10-26T02:00:00Z", "2025-10-26T03:00:00Z"],
            note: "hourly: the second 02:00 does not run"),
        Case(
            expression: "*/30 * * * *", zone: "Europe/Berlin", after: "2025-10-26T01:10:00Z",
            starts: ["2025-10-26T02:00:00Z"], note: "from inside the second pass of 02:00-02:59"),
        // America/New_York, spring forward: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
        Case(
            expression: "30 2 * * *", zone: "America/New_York", after: "2025-03-08T12:00:00Z",
            starts: ["2025-03-09T07:00:00Z", "2025-03-10T06:30:00Z"], note: "a skipped time runs at the end of the gap"),
        Case(
            expression: "0 9 * * *", zone: "America/New_York", after: "2025-03-08T00:00:00Z",
            starts: ["2025-03-08T14:00:00Z", "2025-03-09T13:00:00Z"], note: "the offset changes overnight"),
        // America/New_York, fall back: 02:00 EDT becomes 01:00 EST at 06:00 UTC; 01:00-01:59 happen twice.
        Case(
            expression: "30 1 * * *", zone: "America/New_York", after: "2025-11-01T12:00:00Z",
            starts: ["2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"], note: "a doubled time runs at its first occurrence only"),
        Case(
            expression: "*/20 1 * * *", zone: "America/New_York", after: "2025-11-02T04:50:00Z",
            starts: ["2025-11-02T05:00:00Z", "2025-11-02T05:20:00Z", "2025-11-02T05:40:00Z", "2025-11-03T06:00:00Z"],
            note: "every 20 minutes of the doubled hour, once"),
        // February 29.
        Case(
            expression: "0 0 29 2 *", zone: nil, after: "2025-01-01T00:00:00Z",
            starts: ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"], note: "leap years only"),
        Case(
            expression: "0 0 29 2 *", zone: nil, after: "2096-03-01T00:00:00Z", starts: ["2104-02-29T00:00:00Z"],
            note: "2100 is no leap year"),
        Case(
            expression: "0 12 29 FEB *", zone: "Europe/Berlin", after: "2024-02-28T12:00:00Z",
            starts: ["2024-02-29T11:00:00Z", "2028-02-29T11:00:00Z"], note: "in a zone"),
        // Day-of-month and day-of-week.
        Case(
            expression: "0 0 15 * 1", zone: nil, after: "2025-06-10T00:00:00Z",
            starts: ["2025-06-15T00:00:00Z", "2025-06-16T00:00:00Z", "2025-06-23T00:00:00Z"],
            note: "both restricted: the 15th or a Monday"),
        Case(
            expression: "0 0 13 * FRI", zone: nil, after: "2025-06-01T00:00:00Z",
            starts: ["2025-06-06T00:00:00Z", "2025-06-13T00:00:00Z", "2025-06-20T00:00:00Z"],
            note: "both restricted: the 13th or a Friday"),
        Case(
            expression: "0 0 * * 1", zone: nil, after: "2025-06-10T00:00:00Z",
            starts: ["2025-06-16T00:00:00Z", "2025-06-23T00:00:00Z"], note: "day-of-month unrestricted: Mondays"),
        Case(
            expression: "0 0 */2 * 1", zone: nil, after: "2025-06-01T00:00:00Z",
            starts: ["2025-06-09T00:00:00Z", "2025-06-23T00:00:00Z", "2025-07-07T00:00:00Z"],
            note: "a stepped * counts as unrestricted (Vixie cron): odd days that are Mondays"),
        Case(
            expression: "0 0 ? * 7", zone: nil, after: "2025-06-10T00:00:00Z", starts: ["2025-06-15T00:00:00Z"],
            note: "7 is Sunday"),
        Case(
            expression: "0 12 * JAN,jul sun", zone: nil, after: "2025-02-01T00:00:00Z",
            starts: ["2025-07-06T12:00:00Z", "2025-07-13T12:00:00Z"], note: "names in any case"),
        // Lists, ranges, steps.
        Case(
            expression: "5/15 * * * *", zone: nil, after: "2025-06-10T10:06:00Z",
            starts: ["2025-06-10T10:20:00Z", "2025-06-10T10:35:00Z", "2025-06-10T10:50:00Z", "2025-06-10T11:05:00Z"],
            note: "N/step runs from N to the end"),
        Case(
            expression: "0 9-17/4 * * MON-FRI", zone: nil, after: "2025-06-13T13:00:00Z",
            starts: ["2025-06-13T17:00:00Z", "2025-06-16T09:00:00Z"], note: "stepped range on weekdays"),
        Case(
            expression: "59 23 31 12 *", zone: nil, after: "2025-12-31T23:59:00Z", starts: ["2026-12-31T23:59:00Z"],
            note: "strictly after"),
        Case(
            expression: "0 * * * *", zone: nil, after: "2025-06-10T09:59:59.500Z", starts: ["2025-06-10T10:00:00Z"],
            note: "half a second before"),
        Case(
            expression: "0 9 * * *", zone: "Asia/Kolkata", after: "2025-06-10T00:00:00Z", starts: ["2025-06-10T03:30:00Z"],
            note: "a half-hour offset"),
        // Every macro.
        Case(
            expression: "@yearly", zone: nil, after: "2025-06-10T10:00:00Z",
            starts: ["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"], note: "0 0 1 1 *"),
        Case(
            expression: "@annually", zone: "Europe/Berlin", after: "2025-06-10T10:00:00Z", starts: ["2025-12-31T23:00:00Z"],
            note: "0 0 1 1 * in Berlin"),
        Case(
            expression: "@monthly", zone: nil, after: "2025-06-10T10:00:00Z",
            starts: ["2025-07-01T00:00:00Z", "2025-08-01T00:00:00Z"], note: "0 0 1 * *"),
        Case(
            expression: "@weekly", zone: nil, after: "2025-06-10T10:00:00Z",
            starts: ["2025-06-15T00:00:00Z", "2025-06-22T00:00:00Z"], note: "0 0 * * 0"),
        Case(
            expression: "@daily", zone: nil, after: "2025-06-10T10:00:00Z",
            starts: ["2025-06-11T00:00:00Z", "2025-06-12T00:00:00Z"], note: "0 0 * * *"),
        Case(
            expression: "@midnight", zone: "America/New_York", after: "2025-06-10T10:00:00Z", starts: ["2025-06-11T04:00:00Z"],
            note: "0 0 * * * in New York"),
        Case(
            expression: "@hourly", zone: nil, after: "2025-06-10T10:00:00Z",
            starts: ["2025-06-10T11:00:00Z", "2025-06-10T12:00:00Z"], note: "0 * * * *"),
    ]

    @Test("the next starts", arguments: cases)
    func nextStarts(test: Case) throws {
        let schedule = try CronSchedule(parsing: test.expression)
        let zone = try CronTimeZone.named(test.zone)
        var cursor = try Self.date(test.after)
        var starts: [String] = []
        for _ in test.starts {
            guard let start = schedule.next(after: cursor, in: zone) else { break }
            starts.append(Self.text(start))
            cursor = start
        }
        #expect(starts == test.starts)
    }

    @Test("the previous start is the last start at or before an instant", arguments: cases)
    func previousStart(test: Case) throws {
        let schedule = try CronSchedule(parsing: test.expression)
        let zone = try CronTimeZone.named(test.zone)
        // Just before each start, the previous start is the one before it; at the start, the start itself.
        for (index, text) in test.starts.enumerated() {
            let start = try Self.date(text)
            #expect(schedule.previous(atOrBefore: start, in: zone).map(Self.text) == text)
            if index > 0 {
                #expect(schedule.previous(atOrBefore: start.addingTimeInterval(-1), in: zone).map(Self.text) == test.starts[index - 1])
            }
        }
    }

    @Test("a macro and the expression it stands for give the same starts")
    func macrosExpand() throws {
        let from = try Self.date("2024-02-27T13:17:00Z")
        for (macro, expansion) in CronSchedule.macros {
            let a = try CronSchedule(parsing: macro)
            let b = try CronSchedule(parsing: expansion)
            var cursorA = from
            var cursorB = from
            for _ in 0..<5 {
                let nextA = try #require(a.next(after: cursorA, in: CronTimeZone.utc))
                let nextB = try #require(b.next(after: cursorB, in: CronTimeZone.utc))
                #expect(nextA == nextB, "\(macro)")
                cursorA = nextA
                cursorB = nextB
            }
        }
    }

    @Test("a February 29 schedule looked for back from 2027 finds 2024")
    func previousLeapDay() throws {
        let schedule = try CronSchedule(parsing: "0 0 29 2 *")
        #expect(schedule.previous(atOrBefore: try Self.date("2027-01-01T00:00:00Z"), in: CronTimeZone.utc).map(Self.text) == "2024-02-29T00:00:00Z")
    }

    @Test("a doubled time looked for back from its second occurrence is its first occurrence")
    func previousInFallBack() throws {
        let schedule = try CronSchedule(parsing: "0 1 * * *")
        let zone = try CronTimeZone.named("America/New_York")
        #expect(schedule.previous(atOrBefore: try Self.date("2025-11-02T06:30:00Z"), in: zone).map(Self.text) == "2025-11-02T05:00:00Z")
    }

    static func date(_ text: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func text(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle()) }
}
