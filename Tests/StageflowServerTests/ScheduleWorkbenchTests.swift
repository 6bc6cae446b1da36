import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
import StageflowStore
import Testing

@testable import StageflowServer

/// The workbench's schedules: the list, a schedule's page with its trend chart and "Run now", and "Repeat this
/// scan" in the playground.
@Suite("Web workbench schedules")
struct ScheduleWorkbenchTests {
    static let html = "text/html,application/xhtml+xml"

    static func schedule(_ name: String, expression: String = "0 2 * * *", timeZone: String? = "Europe/Berlin", suspend: Bool = false)
        -> JSONValue
    {
        var spec: JSONValue = [
            "schedule": .string(expression), "suspend": .bool(suspend),
            "jobTemplate": ["spec": ["target": ["urls": ["https://example.com/"]], "scanners": [["name": "axe"]]]],
        ]
        if let timeZone { spec["timeZone"] = .string(timeZone) }
        return [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanSchedule", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": spec,
        ]
    }

    /// Three finished runs, newest first: a Done run with a diff, a Failed run, the first Done run.
    static let history: JSONValue = [
        [
            "job": "nightly-29400000", "scheduledTime": "2026-12-03T01:00:00Z", "phase": "Done", "score": 71.4, "scoreDelta": -8.6,
            "grade": "C", "totalIssues": 14, "newSinceBaseline": 3, "fixedSinceBaseline": 1,
        ],
        ["job": "nightly-29398560", "scheduledTime": "2026-12-02T01:00:00Z", "phase": "Failed"],
        ["job": "nightly-29397120", "scheduledTime": "2026-12-01T01:00:00Z", "phase": "Done", "score": 80, "grade": "B", "totalIssues": 9],
    ]

    func form(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return fields.map { "\($0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    func withHistory(_ store: ResourceStore, _ name: String) async throws {
        var stored = try await store.get(.scanSchedule, namespace: "default", name: name)
        stored[path: "status"] = ["history": Self.history, "lastScheduleTime": "2026-12-03T01:00:00Z"]
        _ = try await store.update(.scanSchedule, stored, subresource: .status)
    }

    @Test("the list shows each schedule in words with its time zone, next run, last score, change and sparkline")
    func list() async throws {
        try await withServer { server in
            _ = try await server.store.create(.scanSchedule, Self.schedule("nightly"))
            _ = try await server.store.create(.scanSchedule, Self.schedule("paused", expression: "*/15 * * * *", timeZone: nil, suspend: true))
            try await withHistory(server.store, "nightly")

            let page = try await server.client.send(.get, "/schedules", accept: Self.html)
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("<a href=\"/schedules/default/nightly\">nightly</a>"))
            #expect(text.contains("at 02:00 every day (Europe/Berlin time) <code>0 2 * * *</code>"))
            #expect(text.contains("every 15 minutes (UTC)"))
            // The next start is an instant the page's script shows in the viewer's zone; 02:00 in Berlin is 01:00 UTC in winter.
            #expect(text.range(of: #"<time datetime="\d{4}-\d\d-\d\dT01:00:00Z" data-local>"#, options: .regularExpression) != nil)
            #expect(text.contains("71 <span class=\"delta\">(−9)</span>"))
            #expect(text.contains("aria-label=\"Score of the last 2 runs: 80, 71\""))
            #expect(text.contains("data-suspended>Suspended"))
            #expect(text.contains("aria-current=\"page\">Schedules</a>"))
        }
    }

    @Test("a schedule's page charts its runs, each point linked to the report and each bar to the diff; Run now chains the baseline")
    func schedulePageAndRunNow() async throws {
        try await withServer { server in
            let schedule = try await server.store.create(.scanSchedule, Self.schedule("nightly"))
            try await withHistory(server.store, "nightly")
            // The latest Done run among the schedule's jobs is the baseline of a run started by hand.
            let builder = ScheduledJobBuilder(schedule: schedule)
            let done = try await server.store.create(
                .scanJob, builder.job(named: "nightly-29400000", scheduled: "2026-12-03T01:00:00Z", baseline: nil))
            var finished = done
            finished[path: "status"] = ["phase": "Done"]
            _ = try await server.store.update(.scanJob, finished, subresource: .status)

            let page = try await server.client.send(.get, "/schedules/default/nightly", accept: Self.html)
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("<svg class=\"score-chart\""))
            #expect(text.contains("<a href=\"/scans/default/nightly-29400000/report\"><circle class=\"score-point\""))
            #expect(text.contains("<a href=\"/scans/default/nightly-29400000/report#diff-heading\"><rect class=\"issues\""))
            #expect(text.contains("<a href=\"/scans/default/nightly-29398560\"><path class=\"failed-run\""))
            // The first run has no previous one: its bar opens its report, and its row offers no comparison.
            #expect(text.contains("<a href=\"/scans/default/nightly-29397120/report\"><rect class=\"issues\""))
            #expect(!text.contains("nightly-29397120/report#diff-heading"))
            #expect(text.contains("<a href=\"/scans/default/nightly-29400000/report#diff-heading\">Changes</a>"))
            #expect(text.contains("id=\"run-now\""))

            let csrf = try WorkbenchForms.csrf(in: text)
            let expired = try await server.client.send(
                .post, "/schedules/default/nightly/run", text: "", contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(expired.status == .forbidden)
            let run = try await server.client.send(
                .post, "/schedules/default/nightly/run", text: form([("csrf", csrf)]), contentType: "application/x-www-form-urlencoded",
                accept: Self.html)
            #expect(run.status == .seeOther)
            let location = try #require(run.headers[.location])
            #expect(location.hasPrefix("/scans/default/nightly-manual-"))
            let created = try await server.store.get(.scanJob, namespace: "default", name: String(location.split(separator: "/").last!))
            #expect(created[path: ["spec", "baselineRef", "name"]] == "nightly-29400000")
            #expect(created[path: ["metadata", "labels", ScheduledJobBuilder.scheduleLabel]] == "nightly")
            #expect(ScheduledJobBuilder.isControlled(created, by: schedule[path: ["metadata", "uid"]]?.stringValue ?? "-"))

            #expect(try await server.client.send(.get, "/schedules/default/missing", accept: Self.html).status == .notFound)
        }
    }

    @Test("Run now is offered to editors of the namespace only, and a viewer's post is refused")
    func runNowNeedsCreate() async throws {
        @Sendable func page(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String, form: String? = nil)
            async throws -> TestResponse
        {
            var headers: HTTPFields = [.accept: "text/html", .authorization: "Bearer \(token)"]
            if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
            return try await client.execute(uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) })
        }
        try await withServer(configuration: AccessTests.configuration()) { server in
            var manifest = Self.schedule("nightly")
            manifest[path: "metadata", "namespace"] = "team-a"
            _ = try await server.store.create(.scanSchedule, manifest)
            let viewer = try await page(server.client, .get, "/schedules/team-a/nightly", token: "viewer-token-0123456789")
            #expect(viewer.status == .ok)
            #expect(!viewer.text.contains("id=\"run-now\""))
            let csrf = try WorkbenchForms.csrf(in: try await page(server.client, .get, "/", token: "viewer-token-0123456789").text)
            let refused = try await page(server.client, .post, "/schedules/team-a/nightly/run", token: "viewer-token-0123456789", form: "csrf=\(csrf)")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("The run was not started"))
            let editor = try await page(server.client, .get, "/schedules/team-a/nightly", token: "editor-token-0123456789")
            #expect(editor.text.contains("id=\"run-now\""))
            // The list of every schedule needs reads everywhere.
            #expect(try await page(server.client, .get, "/schedules", token: "editor-token-0123456789").status == .forbidden)
            #expect(try await page(server.client, .get, "/schedules/team-b/nightly", token: "editor-token-0123456789").status == .forbidden)
        }
    }

    @Test("Repeat this scan makes a schedule of the scan and starts its first run; bad repeats come back by field")
    func repeatFromPlayground() async throws {
        try await withServer { server in
            let playground = try await server.client.send(.get, "/", accept: Self.html)
            #expect(playground.text.contains("<select id=\"repeat\" name=\"repeat\""))
            let csrf = try WorkbenchForms.csrf(in: playground.text)
            let scan: [(String, String)] = [("csrf", csrf), ("urls", "https://example.com/"), ("scanner", "axe"), ("namespace", "default")]

            let daily = try await server.client.send(
                .post, "/", text: form(scan + [("name", "home"), ("repeat", "daily"), ("repeatTime", "04:30"), ("timeZone", "America/New_York")]),
                contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(daily.status == .seeOther, "\(daily.text)")
            #expect(daily.headers[.location] == "/schedules/default/home")
            let schedule = try await server.store.get(.scanSchedule, namespace: "default", name: "home")
            #expect(schedule[path: ["spec", "schedule"]] == "30 4 * * *")
            #expect(schedule[path: ["spec", "timeZone"]] == "America/New_York")
            #expect(schedule[path: ["spec", "jobTemplate", "spec", "target", "urls"]] == ["https://example.com/"])
            let runs = try await server.store.listAll(
                .scanJob, namespace: "default", options: ListOptions(labelSelector: LabelSelector(matching: [ScheduledJobBuilder.scheduleLabel: "home"])))
            #expect(runs.items.count == 1, "the first run starts at once")
            #expect(ScheduledJobBuilder.isControlled(runs.items[0], by: schedule[path: ["metadata", "uid"]]?.stringValue ?? "-"))

            let weekly = try await server.client.send(
                .post, "/", text: form(scan + [("name", "weekly-home"), ("repeat", "weekly"), ("repeatTime", "06:00")]),
                contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(weekly.status == .seeOther)
            #expect(try await server.store.get(.scanSchedule, namespace: "default", name: "weekly-home")[path: ["spec", "schedule"]] == "0 6 * * 1")

            let badCron = try await server.client.send(
                .post, "/", text: form(scan + [("repeat", "cron"), ("repeatCron", "0 25 * * *")]),
                contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(badCron.status == .unprocessableContent)
            #expect(badCron.text.contains("href=\"#repeat-cron\""))
            #expect(badCron.text.contains("hour must be 0-23"), "\(badCron.text)")
            #expect(badCron.text.contains("value=\"0 25 * * *\""), "the form keeps what was typed")

            let badZone = try await server.client.send(
                .post, "/", text: form(scan + [("repeat", "daily"), ("timeZone", "Mars/Olympus")]),
                contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(badZone.status == .unprocessableContent)
            #expect(badZone.text.contains("href=\"#time-zone\""), "\(badZone.text)")

            let badTime = try await server.client.send(
                .post, "/", text: form(scan + [("repeat", "daily"), ("repeatTime", "25:00")]),
                contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(badTime.status == .unprocessableContent)
            #expect(badTime.text.contains("href=\"#repeat-time\""))
            let badChoice = try await server.client.send(
                .post, "/", text: form(scan + [("repeat", "hourly")]), contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(badChoice.status == .unprocessableContent)
            #expect(badChoice.text.contains("choose none, daily, weekly or cron, not &quot;hourly&quot;"), "\(badChoice.text)")
            let schedules = try await server.store.listAll(.scanSchedule, namespace: nil)
            #expect(schedules.items.count == 2, "a rejected repeat creates nothing")
        }
    }

    @Test("web paths of schedules")
    func paths() {
        #expect(WebTarget(path: "/schedules", acceptsHTML: true) == .schedules)
        #expect(WebTarget(path: "/schedules/team/nightly", acceptsHTML: true) == .schedule(namespace: "team", name: "nightly"))
        #expect(WebTarget(path: "/schedules/team/nightly/run", acceptsHTML: true) == .runSchedule(namespace: "team", name: "nightly"))
        #expect(WebTarget(path: "/schedules/team/nightly/other", acceptsHTML: true) == nil)
    }
}

/// The pictures of a schedule's runs, apart from any page.
@Suite("Score chart")
struct ScoreChartTests {
    static func point(_ job: String, score: Double?, issues: Int64?, failed: Bool = false, diff: Bool = true) -> ScoreChart.Point {
        ScoreChart.Point(
            job: job, label: "12-01", score: score, issues: issues, failed: failed, reportURL: "/scans/default/\(job)/report",
            diffURL: diff ? "/scans/default/\(job)/report#diff-heading" : nil, statusURL: "/scans/default/\(job)")
    }

    @Test("the sparkline spans the scores' own range, so a drop of a few points is visible")
    func sparkline() throws {
        let svg = try #require(ScoreChart(points: [Self.point("a", score: 90, issues: 1), Self.point("b", score: 86, issues: 2)]).sparkline())
        // The range is at least 10 points from the lowest score: 86 at the bottom (y 22), 90 four tenths up (y 14),
        // where on a 0–100 scale the two would be under a pixel apart.
        #expect(svg.contains("points=\"0.0,14.0 100.0,22.0\""), "\(svg)")
        #expect(ScoreChart(points: [Self.point("f", score: nil, issues: nil, failed: true)]).sparkline() == nil)
    }

    @Test("bars scale to the most issues; a run with no score and no failure draws nothing; names are escaped")
    func chart() throws {
        let chart = try #require(
            ScoreChart(points: [
                Self.point("first", score: 50, issues: 10, diff: false), Self.point("x\"<y", score: 100, issues: 20),
                Self.point("running", score: nil, issues: nil),
            ]).chart())
        #expect(chart.contains(">20</text>"), "the right axis shows the largest count")
        #expect(chart.contains("x&quot;&lt;y: score 100"))
        #expect(!chart.contains("running"), "a run without numbers or failure has no mark")
        #expect(chart.contains("<a href=\"/scans/default/first/report\"><rect"))
        #expect(ScoreChart(points: []).chart() == nil)
    }
}
