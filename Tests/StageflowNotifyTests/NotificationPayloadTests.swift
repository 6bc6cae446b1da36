import StageflowAPI
import StageflowNotify
import Testing

/// The JSON a webhook receives.
@Suite("Notification payload")
struct NotificationPayloadTests {
    static func notice(newIssues: Int) -> RunNotice {
        var run = ScheduleRun(job: "nightly-29000000", phase: .done)
        run.scheduledTime = "2030-06-01T03:00:00Z"
        run.completionTime = "2030-06-01T03:04:00Z"
        run.score = 82.5
        run.grade = "B"
        run.totalIssues = 7
        run.bySeverity = ["critical": 1, "serious": 6]
        run.newSinceBaseline = Int64(newIssues)
        run.fixedSinceBaseline = 2
        var previous = ScheduleRun(job: "nightly-28998560", phase: .done)
        previous.score = 90
        let issues = (0..<newIssues).map { index in
            NotifiedIssue(
                rule: index == 0 ? "image-alt" : "color-contrast", title: index == 0 ? "Images must have alternative text" : "Contrast",
                page: "https://example.com/\(index)", severity: index == 0 ? .critical : .serious,
                link: "http://127.0.0.1:8080/scans/default/nightly-29000000/report#page-\(index)")
        }
        return RunNotice(
            namespace: "default", schedule: "nightly", jobUID: "uid-2", run: run, previous: previous, newIssues: issues,
            reportURL: "http://127.0.0.1:8080/scans/default/nightly-29000000/report")
    }

    static let target = ScheduleNotifyTarget(name: "chat", url: "https://hooks.example.com/", on: [.newIssues, .scoreDrop])

    @Test("schedule, job, events, score and change, counts, new issues and a text")
    func fields() throws {
        let notice = Self.notice(newIssues: 1)
        let body = NotificationPayload.body(notice, events: notice.events(for: Self.target), target: Self.target)
        #expect(body["schedule"] == ["namespace": "default", "name": "nightly"])
        #expect(body[path: ["job", "name"]] == "nightly-29000000")
        #expect(body[path: ["job", "uid"]] == "uid-2")
        #expect(body[path: ["job", "phase"]] == "Done")
        #expect(body[path: ["job", "reportURL"]] == "http://127.0.0.1:8080/scans/default/nightly-29000000/report")
        #expect(body["target"] == "chat")
        #expect(body["events"] == ["NewIssues", "ScoreDrop"])
        #expect(body["score"] == .double(82.5))
        #expect(body["previousScore"] == .double(90))
        #expect(body["scoreDelta"] == .double(-7.5))
        #expect(body["grade"] == "B")
        #expect(body["counts"] == ["total": 7, "bySeverity": ["critical": 1, "serious": 6], "new": 1, "fixed": 2])
        #expect(
            body["newIssues"] == [
                [
                    "rule": "image-alt", "title": "Images must have alternative text", "page": "https://example.com/0",
                    "severity": "critical", "link": "http://127.0.0.1:8080/scans/default/nightly-29000000/report#page-0",
                ]
            ])
        let text = try #require(body["text"]?.stringValue)
        #expect(
            text == """
                Stageflow: schedule default/nightly, run nightly-29000000: 1 new serious or worse issue; the score fell by 7.5.
                Score 82.5 (B), was 90.
                • critical: Images must have alternative text (image-alt) on https://example.com/0
                Report: http://127.0.0.1:8080/scans/default/nightly-29000000/report
                """)
    }

    @Test("at most ten new issues are listed; the text says how many more")
    func topIssues() throws {
        let notice = Self.notice(newIssues: 13)
        let body = NotificationPayload.body(notice, events: [.newIssues], target: Self.target)
        #expect(body["newIssues"]?.arrayValue?.count == 10)
        let text = try #require(body["text"]?.stringValue)
        #expect(text.contains("13 new serious or worse issues"))
        #expect(text.contains("… and 3 more."))
    }

    @Test("a failed run's text says so and has no score line")
    func failed() throws {
        var notice = Self.notice(newIssues: 0)
        notice.run = ScheduleRun(job: "nightly-29000000", phase: .failed)
        let target = ScheduleNotifyTarget(name: "pager", url: "https://hooks.example.com/", on: [.failed])
        let body = NotificationPayload.body(notice, events: notice.events(for: target), target: target)
        #expect(body["events"] == ["Failed"])
        #expect(body["score"] == nil)
        #expect(body["scoreDelta"] == nil)
        #expect(
            body["text"]?.stringValue == """
                Stageflow: schedule default/nightly, run nightly-29000000: the run failed.
                Report: http://127.0.0.1:8080/scans/default/nightly-29000000/report
                """)
    }
}
