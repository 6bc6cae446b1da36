import Foundation
import StageflowCron
import Testing

/// `next(after:in:)` against a brute-force oracle: every minute of a window is read as wall-clock time with
/// Foundation's calendar, and an instant is a start when the clock reaches a matching wall-clock minute there
/// for the first time (so a skipped minute starts at the end of the gap, a doubled one at its first pass).
/// The expressions are random, written from explicit value sets the oracle matches against.
@Suite("Cron start times against a brute-force oracle")
struct CronOracleTests {
    struct Window: Sendable, CustomTestStringConvertible {
        var zone: String
        var start: String
        var testDescription: String { "\(zone) from \(start)" }
    }

    static let windows = [
        Window(zone: "Europe/Berlin", start: "2025-03-29T00:00:00Z"),
        Window(zone: "Europe/Berlin", start: "2025-10-25T00:00:00Z"),
        Window(zone: "America/New_York", start: "2025-03-08T00:00:00Z"),
        Window(zone: "America/New_York", start: "2025-11-01T00:00:00Z"),
        Window(zone: "UTC", start: "2024-02-27T00:00:00Z"),
    ]

    /// A random expression and the value sets it stands for.
    struct Generated {
        var text: String
        var minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
        /// Vixie cron: a day field written starting with `*` does not widen the other one.
        var daysWildcard: Bool, weekdaysWildcard: Bool
    }

    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func field(_ values: ClosedRange<Int>, _ random: inout SplitMix, favour: [Int] = []) -> (String, Set<Int>) {
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            let step = Int.random(in: 1...max(1, values.count / 3), using: &random)
            return ("*/\(step)", Set(stride(from: values.lowerBound, through: values.upperBound, by: step)))
        case 1:
            let low = Int.random(in: values, using: &random)
            let high = Int.random(in: low...values.upperBound, using: &random)
            return ("\(low)-\(high)", Set(low...high))
        default:
            var set = Set((0..<Int.random(in: 1...4, using: &random)).map { _ in Int.random(in: values, using: &random) })
            if !favour.isEmpty, Bool.random(using: &random) { set.insert(favour.randomElement(using: &random)!) }
            return (set.sorted().map(String.init).joined(separator: ","), set)
        }
    }

    static func generate(_ random: inout SplitMix) -> Generated {
        let minute = field(0...59, &random, favour: [0, 30, 59])
        let hour = Bool.random(using: &random) ? ("*", Set(0...23)) : field(0...23, &random, favour: [1, 2, 3])
        let day = Int.random(in: 0..<3, using: &random) == 0 ? field(1...31, &random) : ("*", Set(1...31))
        let weekday = Int.random(in: 0..<3, using: &random) == 0 ? field(0...6, &random) : ("*", Set(0...6))
        return Generated(
            text: "\(minute.0) \(hour.0) \(day.0) * \(weekday.0)", minutes: minute.1, hours: hour.1,
            days: day.1, months: Set(1...12), weekdays: weekday.1, daysWildcard: day.0.hasPrefix("*"),
            weekdaysWildcard: weekday.0.hasPrefix("*"))
    }

    /// One minute of a window: the instant, and the wall-clock minutes the clock reaches for the first time there
    /// (none on the second pass of a doubled hour, several at the end of a gap).
    struct Minute {
        var instant: Date
        var reached: [DateComponents]
    }

    /// Reads every minute of the window as wall-clock time with Foundation's calendar.
    static func minutes(zone: TimeZone, start: Date, count: Int) -> [Minute] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var result: [Minute] = []
        var latest: Date?  // the latest wall-clock minute reached so far, written as a UTC date
        for index in 0...count {
            let instant = start.addingTimeInterval(TimeInterval(index * 60))
            let wall = utc.date(from: calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant))!
            var reached: [DateComponents] = []
            if let previous = latest, wall > previous {
                var minute = previous.addingTimeInterval(60)
                while minute <= wall {
                    reached.append(utc.dateComponents([.month, .day, .hour, .minute, .weekday], from: minute))
                    minute = minute.addingTimeInterval(60)
                }
            }
            latest = max(latest ?? wall, wall)
            result.append(Minute(instant: instant, reached: reached))
        }
        return result
    }

    /// The oracle: an instant is a start when a wall-clock minute reached there matches.
    static func oracle(_ generated: Generated, minutes: [Minute]) -> [Date] {
        minutes.filter { $0.reached.contains { matches(generated, $0) } }.map(\.instant)
    }

    static func matches(_ generated: Generated, _ parts: DateComponents) -> Bool {
        guard generated.minutes.contains(parts.minute!), generated.hours.contains(parts.hour!),
            generated.months.contains(parts.month!)
        else { return false }
        let day = generated.days.contains(parts.day!)
        let weekday = generated.weekdays.contains(parts.weekday! - 1)
        if generated.daysWildcard || generated.weekdaysWildcard { return day && weekday }
        return day || weekday
    }

    @Test("random expressions over daylight-saving days and February 29", arguments: windows)
    func randomExpressions(window: Window) throws {
        var random = SplitMix(state: window.start.utf8.reduce(17) { $0 &* 31 &+ UInt64($1) })
        let zone = try CronTimeZone.named(window.zone)
        let start = try CronNextTimeTests.date(window.start)
        let count = 3 * 24 * 60
        let end = start.addingTimeInterval(TimeInterval(count * 60))
        let minutes = Self.minutes(zone: zone, start: start, count: count)
        for _ in 0..<200 {
            let generated = Self.generate(&random)
            let schedule = try CronSchedule(parsing: generated.text)
            let expected = Self.oracle(generated, minutes: minutes)
            var actual: [Date] = []
            var cursor = start
            while let next = schedule.next(after: cursor, in: zone), next <= end {
                actual.append(next)
                cursor = next
            }
            let common = min(actual.count, expected.count)
            let mismatch = (0..<common).first { actual[$0] != expected[$0] } ?? common
            #expect(
                actual == expected,
                "\(generated.text): from start \(mismatch), next gives \(actual.dropFirst(mismatch).prefix(3)), the oracle \(expected.dropFirst(mismatch).prefix(3))"
            )
        }
    }
}
