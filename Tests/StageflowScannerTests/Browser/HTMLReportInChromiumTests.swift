import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// The self-contained HTML report, from a real scan with real screenshots, opened in real Chromium.
@Suite("HTML report in real Chromium", .serialized)
struct HTMLReportInChromiumTests {
    static let isAvailable = ChromiumBrowserTests.isAvailable && (try? AxeScript.load()) != nil

    @Test(
        "renders with no script errors, its audience tabs switch, and a screenshot of it is kept",
        .enabled(if: isAvailable, "needs chromium and axe.min.js (scripts/install-dependencies)"))
    func rendersWithoutErrors() async throws {
        let site = try await LocalServer.scripted([
            "/": ["GET": .init(body: """
                <!doctype html><html><head><title>Shop</title></head><body><main><h1>Shop</h1>
                <img src="/a.png"><h4>Deals</h4><a href="#">click here</a></main></body></html>
                """)]
        ])
        defer { site.stop() }
        let fixture = try await PlanFixture(urls: [site.base + "/"], scanners: [PlanFixture.builtin("axe"), PlanFixture.builtin("seo")])
        defer { fixture.remove() }
        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: ["axe", "seo"])
        let report = ReportAggregator().aggregate(
            meta: ReportMeta(
                jobId: fixture.uid, baseUrl: site.base + "/", scannedAt: "2026-11-22T10:00:00Z", completedAt: "2026-11-22T10:00:05Z",
                durationMs: 5000),
            results: results)
        #expect(report.issues.contains { !$0.alsoDetectedBy.isEmpty }, "axe and seo both report the missing alt")
        var screenshots: [String: Data] = [:]
        for key in Set(results.flatMap { $0.pages.compactMap(\.screenshot?.key) }) {
            screenshots[key] = try await fixture.store.get(key)
        }
        #expect(!screenshots.isEmpty)
        let html = HTMLReportRenderer(options: .init(screenshots: screenshots)).render(report)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try html.write(to: folder.appendingPathComponent("report.html"), atomically: true, encoding: .utf8)
        let server = try await LocalServer.serving(directory: folder)
        defer { server.stop() }

        let browser = try await ChromiumBrowser.launch()
        let tab = try await browser.openTab(TabOptions())
        let load = try await tab.load(server.base + "/report.html", timeout: .seconds(30))
        #expect(load.page?.status == 200)
        #expect(load.errors.isEmpty, "\(load.errors)")
        #expect(load.scriptErrors.isEmpty, "\(load.scriptErrors)")
        _ = try await tab.evaluate(
            "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message))); 0")
        for id in ["tab-content", "tab-executive", "tab-developer"] {
            let selected = try await tab.evaluate(
                "(() => { const t = document.getElementById('\(id)'); if (!t) return 'missing'; t.click(); return t.getAttribute('aria-selected'); })()")
            #expect(selected == .string("true"), "\(id)")
        }
        #expect(try await tab.evaluate("window.__errors.length") == .int(0))
        // The page screenshot is embedded in the one file.
        #expect(try await tab.evaluate("document.documentElement.outerHTML.includes('data:image/png;base64,')") == .bool(true))
        let shot = try await tab.screenshot(maxHeight: 4000)
        let artifacts = TestPaths.root.appendingPathComponent(".build/test-artifacts/report")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try shot.png.write(to: artifacts.appendingPathComponent("report.png"))
        await tab.close()
        await browser.close()
    }
}
