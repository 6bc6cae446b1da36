import Foundation
import StageflowAPI
import StageflowCLI
import StageflowClient
import StageflowReport
import StageflowTestSupport
import Testing

/// `report -o html` fetches page screenshots through the artifacts route and embeds them.
@Suite("Screenshots for the HTML report")
struct ScreenshotFetchTests {
    @Test func screenshotsComeThroughTheArtifactsRouteAndAreEmbedded() async throws {
        // A static server laid out like the API: …/scanjobs/j/artifacts/<path>.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-artifacts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs/j/artifacts/axe/screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A 1×1 PNG.
        let png = try #require(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
        try png.write(to: folder.appendingPathComponent("home.png"))
        let site = try FixtureSite(directory: root.path)
        defer { site.stop() }

        var report = ReportFixtures.report([ReportFixtures.issue("aaaaaaaaaaaa", .serious)], jobId: "uid-9")
        report.pages[0].screenshot = ScreenshotReference(key: "artifacts/uid-9/axe/screenshots/home.png")
        report.pages.append(PageReport(id: "p2", url: "http://127.0.0.1/gone/", screenshot: ScreenshotReference(key: "artifacts/uid-9/axe/screenshots/gone.png")))
        report.pages.append(PageReport(id: "p3", url: "http://127.0.0.1/else/", screenshot: ScreenshotReference(key: "artifacts/other-uid/axe/screenshots/x.png")))

        let fetcher = ReportFetcher(client: StageflowClient(server: try #require(URL(string: site.baseURL))), namespace: "default")
        let screenshots = await fetcher.screenshots(of: "j", report: report)
        let images = screenshots.images
        #expect(images == ["artifacts/uid-9/axe/screenshots/home.png": png])
        #expect(screenshots.missing == ["artifacts/other-uid/axe/screenshots/x.png", "artifacts/uid-9/axe/screenshots/gone.png"])
        #expect(screenshots.omitted.isEmpty)

        let html = String(decoding: try ReportRendering(format: .html, screenshots: images).render(report, stored: Data()), as: UTF8.self)
        #expect(html.contains("data:image/png;base64,\(png.base64EncodedString())"))
        // The same document the controller stores as report.html: one renderer, the same screenshots.
        #expect(html == HTMLReportRenderer(options: screenshots.options()).render(report))
    }
}
