import StageflowAPI
import StageflowNotify
import StageflowReport
import Testing

/// Which events of a notify target a finished run meets.
@Suite("Run notices")
struct RunNoticeTests {
    static func run(_ name: String, _ phase: ScanJobPhase, score: Double? = nil) -> ScheduleRun {
        var run = ScheduleRun(job: name, phase: phase)
        run.score = score
        run.scheduledTime = "2030-06-01T03:00:00Z"
        return run
    }

    static func notice(_ run: ScheduleRun, previous: ScheduleRun?, new: [Severity] = []) -> RunNotice {
        RunNotice(
            namespace: "default", schedule: "nightly", jobUID: "uid-2", run: run, previous: previous,
            newIssues: new.enumerated().map { NotifiedIssue(rule: "rule-\($0)", title: "Rule \($0)", page: "https://example.com/", severity: $1) })
    }

    static let all = ScheduleNotifyTarget(name: "chat", url: "https://hooks.example.com/", on: ScheduleNotifyEvent.allCases)

    @Test("a first run meets none of the events that compare with a previous run")
    func firstRun() {
        let notice = Self.notice(Self.run("n-2", .done, score: 40), previous: nil, new: [.critical])
        #expect(notice.events(for: Self.all) == [])
        #expect(Self.notice(Self.run("n-2", .failed), previous: nil).events(for: Self.all) == [.failed])
    }

    @Test("NewIssues needs a new issue at least as severe as minSeverity (serious unless given)")
    func newIssues() {
        let previous = Self.run("n-1", .done, score: 90)
        let target = ScheduleNotifyTarget(name: "chat", url: "https://hooks.example.com/", on: [.newIssues])
        #expect(Self.notice(Self.run("n-2", .done, score: 90), previous: previous, new: [.serious]).events(for: target) == [.newIssues])
        #expect(Self.notice(Self.run("n-2", .done, score: 90), previous: previous, new: [.moderate, .minor]).events(for: target) == [])
        var lenient = target
        lenient.minSeverity = .minor
        #expect(Self.notice(Self.run("n-2", .done, score: 90), previous: previous, new: [.minor]).events(for: lenient) == [.newIssues])
        #expect(Self.notice(Self.run("n-2", .done, score: 90), previous: previous, new: []).events(for: lenient) == [])
    }

    @Test("ScoreDrop needs a fall of at least minScoreDrop points (5 unless given)")
    func scoreDrop() {
        let target = ScheduleNotifyTarget(name: "chat", url: "https://hooks.example.com/", on: [.scoreDrop])
        let previous = Self.run("n-1", .done, score: 90)
        #expect(Self.notice(Self.run("n-2", .done, score: 85), previous: previous).events(for: target) == [.scoreDrop])
        #expect(Self.notice(Self.run("n-2", .done, score: 85.1), previous: previous).events(for: target) == [])
        #expect(Self.notice(Self.run("n-2", .done, score: 95), previous: previous).events(for: target) == [])
        var sensitive = target
        sensitive.minScoreDrop = 0.5
        #expect(Self.notice(Self.run("n-2", .done, score: 89.5), previous: previous).events(for: sensitive) == [.scoreDrop])
        #expect(Self.notice(Self.run("n-2", .done, score: 90), previous: previous).events(for: sensitive) == [], "no change is no drop")
        #expect(Self.notice(Self.run("n-2", .failed), previous: previous).events(for: target) == [], "a failed run has no score")
    }

    @Test("Failed when the run failed; Recovered when it is Done after a failure")
    func failedAndRecovered() {
        let target = ScheduleNotifyTarget(name: "pager", url: "https://hooks.example.com/", on: [.failed, .recovered])
        #expect(Self.notice(Self.run("n-2", .failed), previous: Self.run("n-1", .done, score: 90)).events(for: target) == [.failed])
        #expect(Self.notice(Self.run("n-2", .done, score: 90), previous: Self.run("n-1", .failed)).events(for: target) == [.recovered])
        #expect(Self.notice(Self.run("n-2", .done, score: 90), previous: Self.run("n-1", .done, score: 90)).events(for: target) == [])
        #expect(Self.notice(Self.run("n-2", .failed), previous: Self.run("n-1", .failed)).events(for: target) == [.failed])
    }

    @Test("the new issues of a report are those its diff names by issue id, most severe first, linked to their page")
    func newIssuesOfReport() {
        func issue(_ id: String, _ rule: String, _ severity: Severity, page: String) -> StageflowReport.Issue {
            StageflowReport.Issue(
                id: id, pageId: "p-\(page)", url: "https://example.com/\(page)", scanner: "axe", ruleId: rule, title: rule.uppercased(),
                message: "\(rule) on \(page)", severity: severity)
        }
        let issues = [
            issue("a1", "color-contrast", .serious, page: "b"), issue("a2", "image-alt", .critical, page: "a"),
            issue("a3", "label", .minor, page: "a"), issue("a4", "link-name", .serious, page: "a"),
        ]
        let report = Report(
            status: .complete,
            meta: ReportMeta(jobId: "uid-2", baseUrl: "https://example.com/", scannedAt: "t", completedAt: "t", durationMs: 1),
            summary: ReportSummary(
                score: 80, grade: "B", totalIssues: 4, bySeverity: SeverityCounts(critical: 1, serious: 2, minor: 1), byScanner: ["axe": 4],
                pagesScanned: 2, pagesWithIssues: 2),
            scanners: [], pages: [], issues: issues, artifacts: [], errors: [],
            diff: ReportDiff(
                baselineJobId: "uid-1", new: ["element-1", "element-2", "element-4"], unchanged: ["element-3"], fixed: [], unverified: [],
                newIssues: ["a1", "a2", "a4"]))
        let new = NotifiedIssue.newIssues(in: report, reportURL: "http://127.0.0.1:8080/scans/default/n-2/report")
        #expect(new.map(\.rule) == ["image-alt", "link-name", "color-contrast"])
        #expect(new.first?.link == "http://127.0.0.1:8080/scans/default/n-2/report#page-p-a")
        #expect(new.first?.page == "https://example.com/a")
        var first = report
        first.diff = nil
        #expect(NotifiedIssue.newIssues(in: first, reportURL: nil) == [], "no baseline, nothing is new")
    }
}
