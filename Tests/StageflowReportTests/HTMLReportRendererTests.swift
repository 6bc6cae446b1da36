import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct HTMLReportRendererTests {
    static let hostileSelector = "</script><script>alert(1)</script>"

    static func hostileReport() -> Report {
        let axe = SiteFixture.axe(extra: [
            ScannerFinding(
                ruleId: "button-name\"><script>alert(2)</script>", title: "<b>Buttons</b> must have text", message: "Fix \"this\" & 'that' \u{0}",
                severity: .critical, url: "https://example.com/\"><script>alert(3)</script>", selector: hostileSelector,
                html: "<img src=x onerror=alert(4)>", boundingBox: BoundingBox(x: 10, y: 10, width: 50, height: 20),
                wcagTags: ["<tag>"], howToFix: "<script>alert(5)</script>", helpUrl: "javascript:alert(6)"
            )
        ])
        return SiteFixture.report([axe, SiteFixture.seo(), SiteFixture.lighthouseFailed()], baseline: SiteFixture.report(jobId: "job-0"))
    }

    @Test func escapesEverythingFromFindings() {
        let html = HTMLReportRenderer().render(Self.hostileReport())
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains(Self.hostileSelector))
        for number in 1...6 { #expect(!html.contains("<script>alert(\(number))")) }
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;img src=x onerror=alert(4)&gt;"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("\u{0}"))
        #expect(html.components(separatedBy: "<script").count == 2, "only the report's own script")
    }

    @Test func isSelfContainedWithAudienceTabs() {
        let html = HTMLReportRenderer().render(SiteFixture.report())
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("url(\"http"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("script-src 'sha256-"))
        for tab in ["developer", "content", "executive"] {
            #expect(html.contains("role=\"tab\" id=\"tab-\(tab)\""))
            #expect(html.contains("role=\"tabpanel\" id=\"panel-\(tab)\" aria-labelledby=\"tab-\(tab)\""))
        }
        #expect(html.contains("<main id=\"main\">"))
        #expect(html.contains("<label for=\"filter-severity\">"))
        #expect(html.contains("Score"))
        #expect(html.contains("Severity breakdown"))
        #expect(html.contains("Score by category"))
        #expect(html.contains("How the score works"))
        #expect(html.contains("docs/scoring.md"))
        #expect(html.contains("What costs the most points"))
        #expect(html.contains("id=\"needs-review\""))
    }

    @Test func headingsDoNotSkipLevels() throws {
        let html = HTMLReportRenderer().render(Self.hostileReport())
        let regex = try NSRegularExpression(pattern: "<h([1-6])[ >]")
        let levels = regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            Int(html[Range($0.range(at: 1), in: html)!])!
        }
        #expect(levels.first == 1)
        for (previous, next) in zip(levels, levels.dropFirst()) { #expect(next <= previous + 1) }
    }

    @Test func embedsScreenshotsAndDrawsBoxes() throws {
        let report = SiteFixture.report()
        let home = try #require(report.pages.first)
        let key = try #require(home.screenshot?.key)
        let png = Self.png(width: 1280, height: 2000)
        let html = HTMLReportRenderer(options: .init(screenshots: [key: png])).render(report)
        #expect(html.contains("background-image:url(\"data:image/png;base64,\(png.base64EncodedString())\")"))
        #expect(html.components(separatedBy: png.base64EncodedString()).count == 2, "embedded once")
        #expect(html.contains("class=\"box box-critical\""))
        #expect(html.contains("class=\"crop shot-0\""))
        #expect(html.contains("role=\"img\" aria-label=\"Screenshot of https://example.com/ with"))
    }

    @Test func linksScreenshotsWhenOnlyALinkIsGiven() throws {
        let report = SiteFixture.report()
        let key = try #require(report.pages.first?.screenshot?.key)
        let html = HTMLReportRenderer(options: .init(screenshotLinks: [key: "axe/shot 1.png"])).render(report)
        #expect(html.contains("url(\"axe/shot%201.png\")"))
        let hostile = HTMLReportRenderer(options: .init(screenshotLinks: [key: "javascript:alert(1)"])).render(report)
        #expect(!hostile.contains("javascript:"))
    }

    static func png(width: UInt32, height: UInt32) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        for value in [width, height] { bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        bytes += [8, 6, 0, 0, 0, 0, 0, 0, 0]
        return Data(bytes)
    }
}

@Suite struct ReportScreenshotsTests {
    @Test func pagesWithTheMostIssuesComeFirstUntilTheBudgetIsSpent() async throws {
        let report = SiteFixture.report()
        // Three pages with screenshots of 100 bytes each; the third cannot be read; the budget is 250 bytes.
        let keys = report.pages.compactMap { $0.screenshot?.key }
        let gathered = await ReportScreenshots.gather(for: report, budgetBytes: 250) { key in
            guard key != keys[2] else { throw CancellationError() }
            return Data(repeating: 1, count: 100)
        }
        #expect(gathered.missing == [keys[2]])
        #expect(gathered.images.count == 2)
        #expect(gathered.omitted.isEmpty)
        let tight = await ReportScreenshots.gather(for: report, budgetBytes: 150) { _ in Data(repeating: 1, count: 100) }
        #expect(tight.images.count == 1 && tight.omitted.count == 2)
        let first = try #require(report.pages.sorted { ($0.issueCount, $1.url) > ($1.issueCount, $0.url) }.first?.screenshot?.key)
        #expect(tight.images[first] != nil)
        // A page whose screenshot was left out says where it is stored.
        let html = HTMLReportRenderer(options: tight.options()).render(report)
        #expect(html.contains("is not embedded, to keep this file small"))
    }
}
