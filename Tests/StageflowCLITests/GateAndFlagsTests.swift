import ArgumentParser
import Foundation
import StageflowAPI
import StageflowCLI
import StageflowClient
import StageflowReport
import Testing

@Suite("Report, diff, scan and project flags; the gate and its exit codes")
struct GateAndFlagsTests {
    func report(_ arguments: [String]) -> ErrorReport? {
        do {
            var command = try Stageflowctl.parseAsRoot(arguments)
            if !(command is any AsyncParsableCommand) { try command.run() }
            return nil
        } catch {
            return ErrorReport.of(error)
        }
    }

    @Test func reportFlagsParse() throws {
        let command = try #require(
            try Stageflowctl.parseAsRoot([
                "report", "nightly", "-o", "sarif", "--output", "scan.sarif", "--fail-on", "serious", "--fail-on-new", "Critical",
                "-n", "team", "--fail-on-review", "--standard", "wcag21aa",
            ]) as? ReportCommand)
        #expect(command.gate.failOnReview)
        #expect(try command.gate.standardFilter() == StandardFilter(name: "wcag21aa"))
        #expect(try GateOptions.parse([]).standardFilter() == .wcag22aa)
        #expect(command.name == "nightly")
        #expect(command.format == .sarif)
        #expect(command.outputFile == "scan.sarif")
        #expect(try command.gate.failOnSeverity() == .serious)
        #expect(try command.gate.failOnNewSeverity() == .critical)
        #expect(command.global.namespace == "team")
        let html = try #require(try Stageflowctl.parseAsRoot(["report", "x", "-o", "html", "--audience", "executive"]) as? ReportCommand)
        #expect(html.audience == .executive)
    }

    @Test func scanAndProjectFlagsParse() throws {
        let scan = try #require(
            try Stageflowctl.parseAsRoot([
                "scan", "http://127.0.0.1:8000/", "https://example.com/a", "--scanner", "link-checker", "--scanner", "security-headers",
                "--name", "one", "--wait", "--timeout", "5m", "--allow-private-targets", "--baseline", "zero", "--fail-on", "minor",
            ]) as? ScanCommand)
        #expect(scan.urls == ["http://127.0.0.1:8000/", "https://example.com/a"])
        #expect(scan.scanners == ["link-checker", "security-headers"])
        #expect(scan.wait && scan.allowPrivateTargets)
        #expect(scan.baseline == "zero")
        let diff = try #require(try Stageflowctl.parseAsRoot(["diff", "b", "--baseline", "a", "-o", "json"]) as? DiffCommand)
        #expect(diff.baseline == "a")
        #expect(diff.format == .json)
        let run = try #require(try Stageflowctl.parseAsRoot(["project", "--fail-on-new", "serious"]) as? ProjectRun)
        #expect(run.gate.failOnNew == "serious")
        #expect(run.project.configPath == ".stageflow/config.yaml")
        let initialise = try #require(try Stageflowctl.parseAsRoot(["project", "init", "--config", "x.yaml"]) as? ProjectInit)
        #expect(initialise.project.configPath == "x.yaml")
        // --config names the project's file; the client's settings do not read it (x.yaml does not exist, which
        // as the client's config file would be an error).
        #expect(throws: Never.self) { try initialise.project.clientSettings() }
        #expect(try Stageflowctl.parseAsRoot(["project", "doctor"]) is ProjectDoctor)
    }

    @Test func badInputExitsWithTwo() {
        #expect(report(["report"])?.exitCode == 2)
        #expect(report(["report", "x", "-o", "xml"])?.exitCode == 2)
        #expect(report(["report", "x", "--fail-on", "bad"])?.exitCode == 2)
        #expect(report(["report", "x", "--fail-on", "bad"])?.text.contains("--fail-on: unknown severity \"bad\"") == true)
        #expect(report(["report", "x", "-o", "sarif", "--audience", "content"])?.exitCode == 2)
        #expect(report(["diff", "x"])?.exitCode == 2)
        #expect(report(["scan"])?.exitCode == 2)
        #expect(report(["scan", "ftp://example.com/"])?.exitCode == 2)
        #expect(report(["scan", "https://user:pw@example.com/"])?.exitCode == 2)
        #expect(report(["scan", "https://example.com/", "--timeout", "5"])?.exitCode == 2)
        #expect(report(["scan", "https://example.com/", "--name", "Not_A_Name"])?.exitCode == 2)
        #expect(report(["project", "--fail-on", "severe"])?.exitCode == 2)
        #expect(report(["report", "x", "--standard", "wcag9"])?.exitCode == 2)
        #expect(report(["report", "x", "--standard", "wcag9"])?.text.contains("--standard: unknown standard \"wcag9\"") == true)
        #expect(report(["scan", "https://example.com/", "--standard", "aa"])?.exitCode == 2)
    }

    @Test func gateFailOnCountsEveryIssueAtOrAboveTheThreshold() throws {
        let report = ReportFixtures.report([ReportFixtures.issue("a", .serious), ReportFixtures.issue("b", .minor)])
        var gate = try GateOptions.parse(["--fail-on", "critical"])
        try gate.check(report)
        gate = try GateOptions.parse(["--fail-on", "serious"])
        #expect(throws: GateFailure.self) { try gate.check(report) }
        gate = try GateOptions.parse([])
        try gate.check(report)
        #expect(!gate.isSet)
    }

    @Test func gateFailOnNewCountsOnlyIssuesNewSinceTheBaseline() throws {
        let issues = [ReportFixtures.issue("old", .critical), ReportFixtures.issue("new", .moderate)]
        let diff = ReportDiff(baselineJobId: "uid-0", new: ["new"], unchanged: ["old"], fixed: [], unverified: [])
        let report = ReportFixtures.report(issues, diff: diff)
        try GateOptions.parse(["--fail-on-new", "serious"]).check(report)
        #expect(throws: GateFailure.self) { try GateOptions.parse(["--fail-on-new", "moderate"]).check(report) }
        // The same issues without a baseline: every issue counts as new.
        #expect(throws: GateFailure.self) { try GateOptions.parse(["--fail-on-new", "serious"]).check(ReportFixtures.report(issues)) }
    }

    @Test func exitCodes() {
        let gate = ErrorReport.of(GateFailure(reasons: ["1 issue (1 serious) at or above serious (--fail-on serious)"]))
        #expect(gate.exitCode == 1)
        #expect(gate.text == "gate failed: 1 issue (1 serious) at or above serious (--fail-on serious)")
        let missing = ErrorReport.of(CommandFailure(APIStatus.notFound(.scanJob, "nope")))
        #expect(missing.exitCode == 2)
        #expect(missing.text.contains("nope"))
        #expect(!missing.text.contains("\n"))
        #expect(ErrorReport.of(CommandFailure(CLIError("bad"))).exitCode == 2)
        #expect(ErrorReport.of(CommandFailure("the scan failed")).text == "error: the scan failed")
        let incomplete = ErrorReport.of(ScanIncomplete("scanjobs/x has no score: no scanner completed"))
        #expect(incomplete.exitCode == 3)
        #expect(incomplete.text == "scan incomplete: scanjobs/x has no score: no scanner completed")
    }

    @Test func aReportWithoutAScoreIsAScanIncomplete() async throws {
        let failed = ReportFixtures.report([], status: .failed, score: nil)
        #expect(throws: ScanIncomplete.self) { try GateOptions.requireScore(failed, name: "x") }
        try GateOptions.requireScore(ReportFixtures.report([]), name: "x")
        // A partial report with a score is not incomplete.
        try GateOptions.requireScore(ReportFixtures.report([], status: .partial), name: "x")
        // The gating commands' wrapper lets it through: it still exits 3.
        var code: Int32?
        do {
            try await CommandOutcome.guarding { try GateOptions.requireScore(failed, name: "x") }
        } catch {
            code = ErrorReport.of(error).exitCode
        }
        #expect(code == 3)
    }

    @Test func reviewItemsAndTheStandardGate() throws {
        var issue = ReportFixtures.issue("a", .serious, rule: "color-contrast")
        issue.category = .accessibility
        issue.standards = [.bestPractice]
        var review = ReportFixtures.issue("b", .critical, rule: "color-contrast")
        review.outcome = .needsReview
        review.category = .accessibility
        review.standards = [StandardReference.wcag("1.4.3")!]
        var report = ReportFixtures.report([issue])
        report.needsReview = [review]
        // Best practice is not gated by default; review items only on request.
        try GateOptions.parse(["--fail-on", "minor"]).check(report)
        #expect(throws: GateFailure.self) { try GateOptions.parse(["--fail-on", "minor", "--standard", "all"]).check(report) }
        #expect(throws: GateFailure.self) { try GateOptions.parse(["--fail-on", "critical", "--fail-on-review"]).check(report) }
        #expect(throws: GateFailure.self) { try GateOptions.parse(["--fail-on-review"]).check(report) }
        #expect(try GateOptions.parse(["--fail-on-review"]).isSet)
    }
}

@Suite("The end of a scan: summary lines and exit codes")
struct ScanConclusionTests {
    static func job(phase: String, reason: String? = nil, summary: JSONValue? = nil) -> JSONValue {
        var status: JSONValue = ["phase": .string(phase)]
        if let reason { status["conditions"] = [["type": "Failed", "status": "True", "reason": .string(reason), "message": "no scanner succeeded"]] }
        if let summary { status["summary"] = summary }
        return ["metadata": ["name": "x"], "status": status]
    }

    @Test func aScanWhereNothingCompletedIsIncompleteOtherFailuresAreErrors() async throws {
        let session = ScanSession(client: StageflowClient(server: URL(string: "http://127.0.0.1:1")!), style: .plain)
        let gate = try GateOptions.parse([])
        for (reason, code) in [("AllScannersFailed", Int32(3)), ("DeadlineExceeded", 3), ("UnsafeArchive", 2), ("ExtractionFailed", 2)] {
            var exit: Int32?
            do {
                try await session.conclude(job: Self.job(phase: "Failed", reason: reason), name: "x", namespace: "default", gate: gate)
            } catch {
                exit = ErrorReport.of(error).exitCode
            }
            #expect(exit == code, "\(reason)")
        }
    }

    @Test func theSummarySaysWhenThereIsNoScoreOrAPartialOne() {
        let server = URL(string: "http://127.0.0.1:8080")!
        let none = ScanSession.summary(
            of: Self.job(
                phase: "Failed", reason: "AllScannersFailed",
                summary: ["totalIssues": 0, "partial": true, "scoreNote": "No score: Links: link-checker failed: boom.",
                          "categories": ["links": ["status": "failed", "reason": "link-checker failed: boom"]]]),
            server: server, namespace: "default")
        #expect(none.contains { $0.hasPrefix("  score none · 0 issues") })
        #expect(none.contains("  No score: Links: link-checker failed: boom."))
        #expect(none.contains("  categories: links none"))
        let partial = ScanSession.summary(
            of: Self.job(
                phase: "Done",
                summary: ["score": 91.3, "grade": "A", "partial": true, "totalIssues": 3, "needsReview": 2,
                          "categories": ["accessibility": ["score": 91.3], "links": ["status": "failed"], "seo": ["score": 80]]]),
            server: server, namespace: "default")
        #expect(partial.contains { $0.hasPrefix("  score 91.3/100 (grade A, partial) · 3 issues") && $0.hasSuffix("· 2 to review") })
        #expect(partial.contains("  categories: accessibility 91.3, seo 80.0, links none"))
    }
}
