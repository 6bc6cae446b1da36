import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

/// The vision agent's journeys in the results contract, the unified report, its schema and the HTML filmstrip.
@Suite("Journeys in the report")
struct JourneyReportTests {
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9])

    static func results() -> ScannerResults {
        let finding = ScannerFinding(
            ruleId: "dead-control", title: "A control does nothing when used",
            message: "step 2: clicking button \"Continue\" changed nothing (journey step 2, screenshot artifacts/job-1/ai-navigator/evidence/steps/02.jpg)",
            severity: .serious, severityRaw: "dead-control", url: "https://shop.example/checkout", selector: "role=button[name=\"Continue\"]")
        var results = ScannerResults(
            scanner: "ai-navigator", pages: [ScannedPage(url: "https://shop.example/checkout", title: "Checkout")], findings: [finding])
        let steps = [
            JourneyStepRecord(
                index: 1, url: "https://shop.example/", title: "Shop",
                screenshot: ScreenshotReference(key: "artifacts/job-1/ai-navigator/evidence/steps/01.jpg", width: 1280, height: 800),
                thought: "The checkout link <script>alert(1)</script> leads on.", action: JourneyAction(type: "click", index: 2),
                target: JourneyTarget(
                    locator: "role=link[name=\"Checkout\"]", role: "link", name: "Checkout", tag: "a",
                    box: BoundingBox(x: 640, y: 400, width: 128, height: 40)),
                effect: "loaded https://shop.example/checkout",
                usage: JourneyTotals(steps: 1, modelRequests: 1, promptTokens: 1200, completionTokens: 60, costUSD: 0.001, modelMs: 900)),
            JourneyStepRecord(
                index: 2, url: "https://shop.example/checkout", title: "Checkout",
                screenshot: ScreenshotReference(key: "artifacts/job-1/ai-navigator/evidence/steps/02.jpg", width: 1280, height: 800),
                thought: "Continue.", action: JourneyAction(type: "click", index: 1),
                target: JourneyTarget(locator: "role=button[name=\"Continue\"]", role: "button", name: "Continue", tag: "button"),
                effect: "done on the same page", failedRequests: ["https://shop.example/api/cart: HTTP 500"]),
        ]
        results.journey = JourneyRecord(
            scanner: "ai-navigator", goal: "check out", startURL: "https://shop.example/", model: "test/vision",
            outcome: JourneyOutcome(reached: false, reason: .deadControl, message: "clicking \"Continue\" changed nothing", step: 2),
            steps: steps,
            totals: JourneyTotals(steps: 2, modelRequests: 2, promptTokens: 2400, completionTokens: 120, costUSD: 0.002, durationMs: 4200, modelMs: 1800))
        return results
    }

    static func report() -> Report {
        ReportAggregator().aggregate(
            meta: ReportMeta(jobId: "job-1", jobName: "journey", baseUrl: "https://shop.example/", scannedAt: "2026-01-01T00:00:00Z",
                             completedAt: "2026-01-01T00:00:05Z", durationMs: 5000),
            results: [results()])
    }

    @Test("results.json carries the journey; results without one still decode")
    func resultsContract() throws {
        let decoded = try JSONDecoder().decode(ScannerResults.self, from: try JSONEncoder().encode(Self.results()))
        #expect(decoded == Self.results())
        #expect(decoded.journey?.outcome.fault == .site)
        let plain = try JSONDecoder().decode(ScannerResults.self, from: Data(#"{"scanner": "seo", "status": "success"}"#.utf8))
        #expect(plain.journey == nil)
    }

    @Test("the report lists the journeys, and the journey's findings are issues with their stable locators")
    func aggregated() throws {
        let report = Self.report()
        #expect(report.journeys?.count == 1)
        #expect(report.journeys?.first?.outcome.reason == .deadControl)
        let issue = try #require(report.issues.first { $0.ruleId == "dead-control" })
        #expect(issue.primarySelector == "role=button[name=\"Continue\"]")
        #expect(issue.message.contains("journey step 2"))
        let decoded = try Report.decode(from: try report.jsonData())
        #expect(decoded.journeys == report.journeys)
        #expect(ReportAggregator().aggregate(meta: report.meta, results: [SiteFixture.seo()]).journeys == nil)
    }

    @Test(.enabled(if: PythonJSONSchema.isAvailable, "python3 with jsonschema is not installed"))
    func schema() throws {
        let errors = try PythonJSONSchema.errors(of: Self.report().jsonData(), against: PackagePaths.reportSchema)
        #expect(errors == [])
    }

    @Test("the HTML report shows the journey as a filmstrip: outcome, totals, each step's screenshot with its element outlined")
    func filmstrip() {
        let report = Self.report()
        let html = HTMLReportRenderer(options: .init(screenshots: ["artifacts/job-1/ai-navigator/evidence/steps/01.jpg": Self.jpeg])).render(report)
        #expect(html.contains("<h2 id=\"journeys-title\">Journeys</h2>"))
        #expect(html.contains("ai-navigator: check out"))
        #expect(html.contains("Not reached: DeadControl"))
        #expect(html.contains("a fault of the site"))
        #expect(html.contains("2 steps"))
        #expect(html.contains("US$0.0020"))
        #expect(html.contains("<img src=\"data:image/jpeg;base64,\(Self.jpeg.base64EncodedString())\""))
        #expect(html.contains("left:50%;top:50%;width:10%;height:5%"), "the chosen element is outlined where it was")
        #expect(html.contains("No screenshot of this step."), "a screenshot that is not at hand is said to be missing")
        #expect(html.contains("<code>click #1</code> on <code>role=button[name=&quot;Continue&quot;]</code>"))
        #expect(!html.contains("<script>alert(1)</script>"), "what the model wrote is escaped")
        #expect(html.contains("https://shop.example/api/cart: HTTP 500"))
        #expect(!HTMLReportRenderer().render(ReportAggregator().aggregate(meta: report.meta, results: [SiteFixture.seo()])).contains("journeys-title"))
    }

    @Test("SARIF carries the journey's findings with their step and screenshot")
    func sarif() throws {
        let sarif = String(decoding: try SARIFRenderer().render(Self.report()), as: UTF8.self)
        #expect(sarif.contains("ai-navigator/dead-control"))
        #expect(sarif.contains("journey step 2, screenshot artifacts/job-1/ai-navigator/evidence/steps/02.jpg"))
    }
}
