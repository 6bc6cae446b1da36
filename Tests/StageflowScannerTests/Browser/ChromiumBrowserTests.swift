import Foundation
import StageflowAPI
import Testing

@testable import StageflowScanner

/// Real headless Chromium on loopback pages.
@Suite("Chromium over the DevTools Protocol", .serialized)
struct ChromiumBrowserTests {
    static let isAvailable = (try? ChromiumProcess.locate(nil, path: ProcessInfo.processInfo.environment["PATH"])) != nil

    @Test(
        "loads a page once: status, headers, serialised document, network summary, script evaluation, screenshot",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func loadsAPage() async throws {
        let server = try await LocalServer.scripted([
            "/": ["GET": .init(status: 200, headers: [["Content-Type", "text/html"], ["X-Frame-Options", "DENY"]], body: """
                <!doctype html><html lang="en"><head><title>Home</title></head>
                <body><h1 id="t">Hello</h1><script>document.getElementById('t').textContent = 'Built by script';</script>
                <img src="/pixel.png"></body></html>
                """)],
            "/pixel.png": ["GET": .init(status: 404, headers: [["Content-Type", "text/plain"]], body: "missing")],
        ])
        defer { server.stop() }
        let browser = try await ChromiumBrowser.launch()
        let tab = try await browser.openTab(TabOptions())
        let load = try await tab.load(server.base + "/", timeout: .seconds(20))
        let page = try #require(load.page, "\(load.errors)")
        #expect(page.status == 200)
        #expect(page.headers["x-frame-options"] == "DENY")
        #expect(page.html.contains("Built by script"))
        #expect(page.html.hasPrefix("<!DOCTYPE html>"))
        #expect((page.network?.requestCount ?? 0) >= 2)
        #expect(try await tab.evaluate("document.title") == .string("Home"))
        #expect(try await tab.evaluate("Promise.resolve(6 * 7)") == .int(42))
        await #expect(throws: BrowserScriptError.self) { try await tab.evaluate("null.x") }
        let shot = try await tab.screenshot(maxHeight: 4000)
        #expect(shot.png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        await tab.close()
        await browser.close()
    }
}
