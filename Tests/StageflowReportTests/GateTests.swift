import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct GateTests {
    @Test func noThresholdsPass() {
        #expect(Gate.evaluate(SiteFixture.report(), failOn: nil, failOnNew: nil) == GateResult(passed: true, reasons: []))
    }

    @Test func failOnCountsEveryIssueAtOrAboveTheSeverity() {
        let report = SiteFixture.report()
        let critical = Gate.evaluate(report, failOn: .critical, failOnNew: nil)
        #expect(!critical.passed)
        // heading-order, moderate best practice, is reported but not gated on WCAG 2.2 AA.
        #expect(critical.reasons == ["2 issues (2 critical) at or above critical (--fail-on critical; 1 accessibility issue outside WCAG 2.2 AA not counted)"])
        let serious = Gate.evaluate(report, failOn: .serious, failOnNew: nil)
        #expect(serious.reasons.first?.hasPrefix("5 issues (2 critical, 3 serious)") == true)
        let clean = SiteFixture.report([SiteFixture.linkChecker()])
        #expect(Gate.evaluate(clean, failOn: .serious, failOnNew: nil).passed)
        #expect(!Gate.evaluate(clean, failOn: .moderate, failOnNew: nil).passed)
    }

    @Test func failOnNewCountsOnlyNewIssues() {
        let baseline = SiteFixture.report(jobId: "job-0")
        let same = SiteFixture.report(baseline: baseline)
        #expect(Gate.evaluate(same, failOn: nil, failOnNew: .minor).passed)

        let axe = SiteFixture.axe(
            extra: [SiteFixture.finding("button-name", .serious, on: SiteFixture.about, selector: "button", tags: ["wcag2a", "wcag412"])])
        let changed = SiteFixture.report([axe, SiteFixture.seo(), SiteFixture.securityHeaders(), SiteFixture.linkChecker()], baseline: baseline)
        #expect(Gate.evaluate(changed, failOn: nil, failOnNew: .critical).passed)
        let serious = Gate.evaluate(changed, failOn: nil, failOnNew: .serious)
        #expect(!serious.passed)
        #expect(serious.reasons == [
            "1 new issue (1 serious) at or above serious since baseline job-0 (--fail-on-new serious; 1 accessibility issue outside WCAG 2.2 AA not counted)"
        ])
    }

    @Test func withoutABaselineEveryIssueIsNew() {
        let report = SiteFixture.report()
        let result = Gate.evaluate(report, failOn: nil, failOnNew: .critical)
        #expect(!result.passed)
        #expect(result.reasons.first?.contains("no baseline") == true)
    }

    @Test func bothThresholdsReportBothReasons() {
        let result = Gate.evaluate(SiteFixture.report(), failOn: .critical, failOnNew: .critical)
        #expect(result.reasons.count == 2)
    }
}
