import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct AggregationTests {
    @Test func summaryCountsDeduplicatedIssues() {
        let report = SiteFixture.report()
        // axe 5 + seo 5 + security-headers 2 + link-checker 1 = 13 findings; 2 merged into axe.
        #expect(report.summary.totalIssues == 11)
        #expect(report.issues.count == 11)
        #expect(report.summary.bySeverity.total == 11)
        #expect(report.summary.byScanner == ["axe": 5, "seo": 3, "security-headers": 2, "link-checker": 1])
        #expect(report.summary.pagesScanned == 3)
        #expect(report.summary.pagesWithIssues == 3)
        #expect(report.summary.occurrences == 11)
        #expect(report.summary.needsReview == 0 && report.needsReview.isEmpty)
        #expect(report.summary.categories.map(\.id) == [.accessibility, .seo, .security, .links])
        #expect(report.summary.score != nil && !report.summary.partial && report.summary.scoreNote == nil)
        #expect(report.summary.byCategory == ["accessibility": 5, "seo": 3, "security": 2, "links": 1])
        #expect(report.status == .complete)
        #expect(report.version == "3.0.0")
        #expect(report.errors.isEmpty)
    }

    @Test func issuesAreOrderedBySeverityThenPageThenId() {
        let issues = SiteFixture.report().issues
        for (earlier, later) in zip(issues, issues.dropFirst()) {
            #expect(earlier.severity >= later.severity)
            if earlier.severity == later.severity, earlier.url == later.url { #expect(earlier.id < later.id) }
        }
    }

    @Test func pagesCarryScreenshotsAndIssueBoxes() throws {
        let report = SiteFixture.report()
        #expect(report.pages.map(\.url) == [SiteFixture.home, SiteFixture.about, SiteFixture.contact])
        let home = try #require(report.pages.first)
        #expect(home.id == PageIdentifier.id(for: SiteFixture.home))
        #expect(home.title == "Home")
        #expect(home.screenshot?.key.contains("/axe/") == true)  // axe has the highest priority
        #expect(home.scanners == ["axe", "link-checker", "security-headers", "seo"])
        #expect(home.issueBoxes.count == 2)
        let alt = try #require(report.issues.first { $0.ruleId == "image-alt" })
        #expect(home.issueBoxes.contains(IssueBox(issueId: alt.id, severity: .critical, boundingBox: BoundingBox(x: 100, y: 200, width: 640, height: 320))))
        #expect(home.issueCount == report.issues.filter { $0.pageId == home.id }.count)
    }

    @Test func partialResultsKeepTheOthersFindingsAndListTheFailure() throws {
        var partialAxe = SiteFixture.axe()
        partialAxe.status = .partial
        partialAxe.error = "timed out on 1 of 3 pages"
        partialAxe.pages[2].errors = ["navigation timeout after 30000 ms"]
        let complete = SiteFixture.report()
        let report = SiteFixture.report([partialAxe, SiteFixture.seo(), SiteFixture.securityHeaders(), SiteFixture.linkChecker(), SiteFixture.lighthouseFailed()])

        #expect(report.status == .partial)
        let lighthouse = try #require(report.scanners.first { $0.id == "lighthouse" })
        #expect(lighthouse.status == .failed)
        #expect(lighthouse.error == "exit code 137: out of memory (last log: Chrome crashed)")
        #expect(lighthouse.findings == 0)
        #expect(report.errors.contains(ReportError(kind: .scanner, scanner: "lighthouse", message: "exit code 137: out of memory (last log: Chrome crashed)")))
        #expect(report.errors.contains(ReportError(kind: .scanner, scanner: "axe", message: "timed out on 1 of 3 pages")))
        #expect(report.errors.contains(ReportError(
            kind: .page, scanner: "axe", pageId: PageIdentifier.id(for: SiteFixture.contact), url: SiteFixture.contact,
            message: "navigation timeout after 30000 ms"
        )))
        #expect(Set(report.issues.map(\.id)) == Set(complete.issues.map(\.id)))
        #expect(report.summary.byScanner["lighthouse"] == 0)
    }

    @Test func reportFailsWhenNoScannerCompletes() {
        let report = SiteFixture.report([SiteFixture.lighthouseFailed(), .failed(scanner: "axe", error: "image pull failed"), .skipped(scanner: "seo", reason: "disabled")])
        #expect(report.status == .failed)
        #expect(report.issues.isEmpty)
        #expect(report.summary.score == nil && report.summary.grade == nil)
        #expect(report.summary.categories.allSatisfy { $0.status == .failed && $0.score == nil })
        #expect(report.summary.scoreNote?.hasPrefix("No score") == true)
        #expect(report.errors.filter { $0.kind == .scanner }.map(\.scanner) == ["axe", "lighthouse"])
        #expect(report.scanners.first { $0.id == "seo" }?.status == .skipped)
        #expect(report.scanners.first { $0.id == "seo" }?.error == "disabled")
    }

    @Test func skippedScannersDoNotMakeAReportPartial() {
        let report = SiteFixture.report([SiteFixture.axe(), .skipped(scanner: "ai-navigator", reason: "no OPENROUTER_API_KEY")])
        #expect(report.status == .complete)
    }

    @Test func encodingRoundTrips() throws {
        let report = SiteFixture.report(baseline: SiteFixture.report(jobId: "job-0"))
        let data = try report.jsonData(pretty: true)
        #expect(try Report.decode(from: data) == report)
        #expect(try report.jsonData(pretty: true) == data)
    }

    @Test func resultsJSONContractDecodes() throws {
        let json = """
            {"scanner": "axe", "toolVersion": "axe-core 4.12.0", "status": "success",
             "timings": {"startedAt": "2026-01-16T10:00:00Z", "durationMs": 5321},
             "pages": [{"url": "https://example.com/", "title": "Example", "httpStatus": 200,
                        "screenshot": {"key": "artifacts/u/axe/0.png", "width": 1280, "height": 3400}, "errors": []}],
             "findings": [{"ruleId": "image-alt", "title": "Images must have alternate text", "message": "no alt",
                           "severity": "critical", "severityRaw": "critical", "url": "https://example.com/",
                           "selector": "main > img", "html": "<img>", "boundingBox": {"x": 1, "y": 2, "width": 3, "height": 4},
                           "wcagTags": ["wcag2a"], "howToFix": "Add alt", "helpUrl": "https://example.org"}]}
            """
        let results = try JSONDecoder().decode(ScannerResults.self, from: Data(json.utf8))
        #expect(results.findings.first?.boundingBox == BoundingBox(x: 1, y: 2, width: 3, height: 4))
        let failed = try JSONDecoder().decode(ScannerResults.self, from: Data(#"{"scanner": "seo", "status": "failed", "error": "boom"}"#.utf8))
        #expect(failed.pages.isEmpty && failed.findings.isEmpty && failed.error == "boom")
    }
}
