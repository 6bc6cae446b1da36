import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct SchemaValidationTests {
    @Test(.enabled(if: PythonJSONSchema.isAvailable, "python3 with jsonschema is not installed"))
    func reportValidatesAgainstItsSchema() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        var axe = SiteFixture.axe()
        axe.findings.removeAll { $0.ruleId == "label" }
        let reports = [
            SiteFixture.report(),
            SiteFixture.report([axe, SiteFixture.seo(), SiteFixture.lighthouseFailed(), .skipped(scanner: "open-graph", reason: "disabled")], baseline: baseline),
            SiteFixture.report([SiteFixture.lighthouseFailed()]),
            SiteFixture.report(Self.everyOutcome()),
        ]
        #expect(reports[2].summary.score == nil)
        #expect(reports[1].summary.partial)
        #expect(!reports[3].needsReview.isEmpty && reports[3].summary.score(of: .performance) != nil)
        for report in reports {
            let errors = try PythonJSONSchema.errors(of: report.jsonData(), against: PackagePaths.reportSchema)
            #expect(errors == [], "report \(report.meta.jobId) (\(report.status))")
        }
    }

    /// Every outcome and every section: violations, needs review, passed and inapplicable rules, standards,
    /// lab metrics, a failed scanner.
    static func everyOutcome() -> [ScannerResults] {
        var axe = SiteFixture.axe()
        axe.findings.append(
            ScannerFinding(
                ruleId: "color-contrast", title: "Contrast", message: "over an image", severity: .serious, url: SiteFixture.about,
                selector: "h1", wcagTags: ["wcag2aa", "wcag143"], outcome: .needsReview))
        for index in axe.pages.indices {
            axe.pages[index].passed = ["color-contrast", "image-alt", "document-title"]
            axe.pages[index].inapplicable = ["video-caption"]
        }
        axe.rules = [RuleDescriptor(id: "image-alt", title: "Images must have alternate text", severity: .critical, standards: [.wcag("1.1.1")!])]
        let performance = ScannerResults(
            scanner: "performance",
            pages: [ScannedPage(url: SiteFixture.home, passed: [], metrics: PageMetrics(formFactor: .mobile, fcpMs: 2500, lcpMs: 3900, tbtMs: 250, cls: 0.02))])
        return [axe, SiteFixture.seo(), SiteFixture.securityHeaders(), performance, .failed(scanner: "link-checker", error: "timeout")]
    }

    @Test(.enabled(if: PythonJSONSchema.isAvailable, "python3 with jsonschema is not installed"))
    func schemaRejectsABrokenReport() throws {
        var report = SiteFixture.report()
        report.issues[0].id = "not-a-fingerprint"
        let errors = try PythonJSONSchema.errors(of: report.jsonData(), against: PackagePaths.reportSchema)
        #expect(errors.contains { $0.hasPrefix("/issues/0/id") })
        // A category without a score may not carry one; a scored one must.
        var scoreless = SiteFixture.report([SiteFixture.lighthouseFailed()])
        scoreless.summary.categories[0].score = 50
        #expect(!(try PythonJSONSchema.errors(of: scoreless.jsonData(), against: PackagePaths.reportSchema)).isEmpty)
        var unscored = SiteFixture.report()
        unscored.summary.categories[0].score = nil
        #expect(!(try PythonJSONSchema.errors(of: unscored.jsonData(), against: PackagePaths.reportSchema)).isEmpty)
    }

    @Test(
        .enabled(if: PythonJSONSchema.isAvailable, "python3 with jsonschema is not installed"),
        .enabled(if: PackagePaths.sarifSchema != nil, "corpus absent: sarif/sarif-schema-2.1.0.json not found")
    )
    func sarifValidatesAgainstTheSARIF210Schema() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        let reports = [
            SiteFixture.report(), SiteFixture.report([SiteFixture.axe(), SiteFixture.lighthouseFailed()], baseline: baseline),
            SiteFixture.report(Self.everyOutcome()), SiteFixture.report([SiteFixture.lighthouseFailed()]),
        ]
        for report in reports {
            let sarif = try SARIFRenderer().render(report)
            let errors = try PythonJSONSchema.errors(of: sarif, against: try #require(PackagePaths.sarifSchema))
            #expect(errors == [])
        }
        // Items that need review are review results: SARIF 2.1.0 §3.27.10 requires level none for them.
        let log = try JSONValue.parse(try SARIFRenderer().render(reports[2]))
        let results = log[path: ["runs"]]?.arrayValue?.first?["results"]?.arrayValue ?? []
        let reviews = results.filter { $0["kind"] == "review" }
        #expect(reviews.count == reports[2].needsReview.count && !reviews.isEmpty)
        #expect(reviews.allSatisfy { $0["level"] == "none" && $0[path: ["properties", "severity"]] != nil })
        #expect(results.filter { $0["kind"] == nil }.allSatisfy { $0["level"] != "none" })
        #expect(log[path: ["runs"]]?.arrayValue?.first?[path: ["properties", "categories", "accessibility"]]?.doubleValue != nil)
    }
}
