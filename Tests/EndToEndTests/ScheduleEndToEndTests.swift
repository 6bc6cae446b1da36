import Foundation
import StageflowAPI
import StageflowTestSupport
import Testing

/// Recurring audits for real: a `* * * * *` ScanSchedule on `stageflow up` against a loopback site that gets
/// worse between runs, a loopback webhook receiver, kubectl's columns, kill -9 just before a start time, and the
/// cascade when the schedule is deleted.
@Suite("ScanSchedule end to end", .serialized)
struct ScheduleEndToEndTests {
    /// A one-page site whose page loses its title when `broken` is set.
    final class ChangingSite: @unchecked Sendable {
        private let lock = NSLock()
        private var isBroken = false

        var broken: Bool {
            get { lock.withLock { isBroken } }
            set { lock.withLock { isBroken = newValue } }
        }

        func page() -> LoopbackResponse {
            let title = broken ? "" : "<title>Stageflow schedule fixture home page</title>"
            return .html(
                """
                <!doctype html><html lang="en"><head><meta charset="utf-8">\(title)
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="description" content="A page the schedule test scans every minute, and breaks between runs.">
                </head><body><main><h1>Schedule fixture</h1><p>Scanned every minute.</p></main></body></html>
                """)
        }
    }

    /// What a webhook receiver was sent.
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var received: [LoopbackRequest] = []

        var requests: [LoopbackRequest] { lock.withLock { received } }
        func add(_ request: LoopbackRequest) { lock.withLock { received.append(request) } }
    }

    static func scheduleYAML(site: String, hook: String) -> String {
        """
        apiVersion: stageflow.dev/v1alpha1
        kind: ScanSchedule
        metadata:
          name: minutely
        spec:
          schedule: "* * * * *"
          concurrencyPolicy: Forbid
          notify:
            - name: chat
              url: \(hook)
              on: [NewIssues]
          jobTemplate:
            spec:
              allowPrivateTargets: true
              target: {urls: ["\(site)/"]}
              scanners: [{name: seo}]
        """
    }

    /// The schedule's runs: name → (scheduled time, phase).
    static func runs(_ driver: ScanDriver) throws -> [String: (scheduled: Date, phase: String?)] {
        let listed = try driver.ctl(["get", "scanjobs", "-l", "stageflow.dev/schedule=minutely", "-o", "json"])
        guard listed.status == 0,
            let items = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["items"] as? [[String: Any]]
        else { return [:] }
        var runs: [String: (Date, String?)] = [:]
        for item in items {
            let metadata = item["metadata"] as? [String: Any] ?? [:]
            guard let name = metadata["name"] as? String,
                let time = (metadata["annotations"] as? [String: String])?["stageflow.dev/scheduled-time"].flatMap(Timestamp.date)
            else { continue }
            runs[name] = (time, (item["status"] as? [String: Any])?["phase"] as? String)
        }
        return runs
    }

    /// Waits for the first run scheduled after `after` to finish; its name and phase.
    static func finishedRun(_ driver: ScanDriver, scheduledAfter after: Date, seconds: Double = 200) throws -> (String, String)? {
        var found: (String, String)?
        _ = waitUntil(seconds: seconds) {
            guard let runs = try? Self.runs(driver) else { return false }
            let candidates = runs.filter { $0.value.scheduled > after }.sorted { $0.value.scheduled < $1.value.scheduled }
            guard let first = candidates.first, let phase = first.value.phase, phase == "Done" || phase == "Failed" else { return false }
            found = (first.key, phase)
            return true
        }
        return found
    }

    @Test("a minutely schedule runs, diffs each run against the last, notifies once of the new issue, survives kill -9 and cascades")
    func minutely() async throws {
        let site = ChangingSite()
        let siteServer = try await LoopbackHTTPServer.start { _ in site.page() }
        defer { siteServer.stop() }
        let inbox = Inbox()
        let receiver = try await LoopbackHTTPServer.start { request in
            inbox.add(request)
            return .json(["ok": true])
        }
        defer { receiver.stop() }

        // Open, so kubectl can talk to it over plain HTTP (authentication is tested elsewhere).
        let arguments = ["--allow-private-targets", "--allow-private-webhooks", "--insecure-no-auth"]
        var server = try StageflowUp(extraArguments: arguments)
        defer { _ = server.stop() }
        let data = server.dataDirectory
        let created = Date()
        var driver = ScanDriver(server: server.url, dataDirectory: data)
        try driver.apply(Self.scheduleYAML(site: siteServer.baseURL, hook: receiver.baseURL + "/hook"))

        // The first run: the page as it was. Then the site gets worse.
        let first = try #require(try Self.finishedRun(driver, scheduledAfter: created), "no first run: \(server.server.errors.text.suffix(3000))")
        #expect(first.1 == "Done")
        site.broken = true
        let broken = Date()
        #expect(inbox.requests.isEmpty, "a first run has nothing to compare with: \(inbox.requests.map(\.path))")

        // The next run scanned after the change: diffed against the first, one new serious issue, one notification.
        let second = try #require(try Self.finishedRun(driver, scheduledAfter: broken), "no second run")
        #expect(second.1 == "Done")
        let job = try driver.job(second.0)
        #expect(((job?["spec"] as? [String: Any])?["baselineRef"] as? [String: Any])?["name"] as? String != nil, "\(job ?? [:])")
        let report = try driver.report(uid: try driver.uid(second.0))
        let diff = try #require(report["diff"] as? [String: Any], "the second run is diffed")
        #expect((diff["newIssues"] as? [String])?.isEmpty == false || (diff["new"] as? [String])?.isEmpty == false, "\(diff)")
        #expect(waitUntil(seconds: 60) { !inbox.requests.isEmpty }, "no notification arrived")
        let notifications = inbox.requests
        #expect(notifications.count == 1, "\(notifications.map { String(decoding: $0.body, as: UTF8.self) })")
        let delivered = try #require(notifications.first)
        #expect(delivered.header("Idempotency-Key")?.hasSuffix("/chat") == true)
        let body = try #require(try JSONSerialization.jsonObject(with: delivered.body) as? [String: Any])
        #expect(body["events"] as? [String] == ["NewIssues"], "\(body)")
        let issues = body["newIssues"] as? [[String: Any]] ?? []
        #expect(issues.contains { $0["rule"] as? String == "missing-title" }, "\(body)")
        #expect((body["text"] as? String)?.contains("missing-title") == true, "\(body)")
        // The outcome is written on the run once the delivery ended.
        #expect(waitUntil(seconds: 30) {
            let status = (try? driver.job(second.0))??["status"] as? [String: Any]
            return (status?["notifications"] as? [[String: Any]])?.first?["result"] as? String == "Delivered"
        }, "no Delivered record on \(second.0)")

        // kubectl shows the schedule's columns.
        let listed = try ControllerRuntimeEndToEndTests.kubectl(server, ["get", "scanschedules"])
        #expect(listed.status == 0, "\(listed)")
        for column in ["SCHEDULE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "SCORE", "Δ"] {
            #expect(listed.stdout.contains(column), "kubectl lacks \(column): \(listed.stdout)")
        }
        #expect(listed.stdout.contains("* * * * *"), "\(listed.stdout)")

        // kill -9 in the second before a start time; restarted, the slot gets exactly one run.
        let calendar = Calendar(identifier: .gregorian)
        _ = waitUntil(seconds: 70) { calendar.component(.second, from: Date()) == 59 }
        let slot = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.up) * 60)
        kill(server.server.process.processIdentifier, SIGKILL)
        server.server.process.waitUntilExit()
        server = try StageflowUp(dataDirectory: data, extraArguments: arguments)
        driver = ScanDriver(server: server.url, dataDirectory: data)
        #expect(waitUntil(seconds: 120) { ((try? Self.runs(driver)) ?? [:]).values.contains { $0.scheduled == slot } }, "no run for \(slot)")
        let slotRuns = try Self.runs(driver).filter { $0.value.scheduled == slot }
        #expect(slotRuns.count == 1, "\(slotRuns.keys)")
        #expect(inbox.requests.count == 1, "no second delivery for the same run after the restart")

        // A run by hand is one of the schedule's runs: its label, and the latest Done run as its baseline.
        let manual = try driver.ctl(["create", "job", "by-hand", "--from=scanschedule/minutely"])
        #expect(manual.status == 0, "\(manual)")
        #expect(manual.stdout.contains("scanjob.stageflow.dev/by-hand created"), "\(manual)")
        let byHand = try driver.job("by-hand")
        #expect(((byHand?["metadata"] as? [String: Any])?["labels"] as? [String: String])?["stageflow.dev/schedule"] == "minutely")
        #expect(((byHand?["spec"] as? [String: Any])?["baselineRef"] as? [String: Any])?["name"] != nil, "\(byHand ?? [:])")
        let described = try driver.ctl(["describe", "scanschedule", "minutely"])
        #expect(described.stdout.contains("History:") && described.stdout.contains(second.0), "\(described.stdout)")

        // Deleting the schedule deletes its runs.
        #expect(try driver.ctl(["delete", "scanschedule", "minutely"]).status == 0)
        #expect(waitUntil(seconds: 60) { ((try? Self.runs(driver)) ?? ["?": (Date(), nil)]).isEmpty }, "the runs outlived the schedule")
    }
}
