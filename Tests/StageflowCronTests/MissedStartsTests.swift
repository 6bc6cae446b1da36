import Foundation
import StageflowCron
import Testing

@Suite("Missed starts between two instants")
struct MissedStartsTests {
    func missed(_ expression: String, zone: String? = nil, after: String, through: String, limit: Int = 100) throws -> MissedStarts {
        try CronSchedule(parsing: expression).missedStarts(
            after: try CronNextTimeTests.date(after), through: try CronNextTimeTests.date(through),
            in: try CronTimeZone.named(zone), limit: limit)
    }

    @Test("three days of downtime: four daily starts missed, the latest is the one to run")
    func downtime() throws {
        let result = try missed("0 3 * * *", zone: "Europe/Berlin", after: "2025-06-01T00:00:00Z", through: "2025-06-04T02:00:00Z")
        #expect(result.count == 4)
        #expect(!result.exceedsLimit)
        #expect(result.mostRecent.map(CronNextTimeTests.text) == "2025-06-04T01:00:00Z")
    }

    @Test("none before the first start; the window's ends are exclusive then inclusive")
    func bounds() throws {
        #expect(try missed("0 3 * * *", after: "2025-06-01T03:00:00Z", through: "2025-06-02T02:59:59Z")
            == MissedStarts(mostRecent: nil, count: 0, exceedsLimit: false))
        let atStart = try missed("0 3 * * *", after: "2025-06-01T03:00:00Z", through: "2025-06-02T03:00:00Z")
        #expect(atStart.count == 1)
        #expect(atStart.mostRecent.map(CronNextTimeTests.text) == "2025-06-02T03:00:00Z")
    }

    @Test("exactly the limit is counted; one more exceeds it and the latest is still exact")
    func limit() throws {
        let hundred = try missed("* * * * *", after: "2025-06-01T00:00:00Z", through: "2025-06-01T01:40:00Z")
        #expect(hundred.count == 100)
        #expect(!hundred.exceedsLimit)
        let more = try missed("* * * * *", after: "2025-06-01T00:00:00Z", through: "2025-06-01T01:41:00Z")
        #expect(more.count == 101)
        #expect(more.exceedsLimit)
        #expect(more.mostRecent.map(CronNextTimeTests.text) == "2025-06-01T01:41:00Z")
    }

    @Test("decades of minutes cost no more than the limit, and the latest start is exact")
    func decades() throws {
        let result = try missed("*/7 * * * *", zone: "Europe/Berlin", after: "2001-01-01T00:00:00Z", through: "2025-10-26T01:10:30Z")
        #expect(result.exceedsLimit)
        #expect(result.count == 101)
        // 01:10 UTC is 02:10 CET, the second pass of 02:00-02:59; the last start, 02:56, ran at its first occurrence.
        #expect(result.mostRecent.map(CronNextTimeTests.text) == "2025-10-26T00:56:00Z")
    }

    @Test("starts that fall in a spring-forward gap count once")
    func gap() throws {
        let result = try missed("*/30 * * * *", zone: "Europe/Berlin", after: "2025-03-30T00:15:00Z", through: "2025-03-30T01:45:00Z")
        #expect(result.count == 3)
        #expect(result.mostRecent.map(CronNextTimeTests.text) == "2025-03-30T01:30:00Z")
    }
}
