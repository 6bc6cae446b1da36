import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// The five page scanners together over one load of a page in real Chromium: each finds its own kind of
/// problem on the same load.
@Suite("page scanners together in real Chromium", .serialized)
struct PageScannersInChromiumTests {
    static let isAvailable = ChromiumBrowserTests.isAvailable && (try? AxeScript.load()) != nil

    @Test(
        "axe, performance, seo, open-graph and spelling on one loaded page",
        .enabled(if: isAvailable, "needs chromium and axe.min.js (scripts/install-dependencies)"))
    func allPageScanners() async throws {
        let server = try await LocalServer.scripted([
            "/": ["GET": .init(body: """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Garden center</title>
                <meta name="viewport" content="width=device-width"></head>
                <body><main><h1>Garden center</h1>
                <h3>Opening hours</h3>
                <p id="intro">We sell plants and seeds. Our staff will recieve your order.</p>
                <img src="/missing.png">
                <script>
                  // A long task once the page has painted, for Total Blocking Time.
                  requestAnimationFrame(() => setTimeout(() => { const end = performance.now() + 300; while (performance.now() < end) {} }, 0));
                </script>
                </main></body></html>
                """)],
        ])
        defer { server.stop() }
        let ids = ["axe", "performance", "seo", "open-graph", "spelling"]
        let fixture = try await PlanFixture(urls: [server.base + "/"], scanners: ids.map { PlanFixture.builtin($0, maxConcurrency: 1) })
        defer { fixture.remove() }
        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: ids)
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.scanner, $0) })
        for id in ids {
            #expect(byID[id]?.status == .success, "\(id): \(byID[id]?.error ?? "") \(byID[id]?.pages.first?.errors ?? [])")
        }
        func rules(_ id: String) -> Set<String> { Set(byID[id]?.findings.map(\.ruleId) ?? []) }
        #expect(rules("axe").contains("image-alt"), "\(rules("axe"))")
        #expect(rules("seo").isSuperset(of: ["images-missing-alt", "heading-hierarchy", "missing-meta-description"]), "\(rules("seo"))")
        #expect(rules("open-graph").contains("og-tags-missing"), "\(rules("open-graph"))")
        let misspelt = byID["spelling"]?.findings.first { $0.ruleId == "misspelling" }
        #expect(misspelt?.message.contains("recieve") == true, "\(byID["spelling"]?.findings ?? [])")
        #expect(misspelt?.message.contains("receive") == true)
        #expect(byID["spelling"]?.findings.count == 1)
        // The long task after the first paint counts as blocking time (300 ms − 50 ms).
        let performance = byID["performance"]?.findings ?? []
        let tbt = performance.first { $0.ruleId.hasPrefix("tbt") }
        #expect(tbt != nil, "\(performance.map { "\($0.ruleId): \($0.message)" })")
        // Every scanner's page points at the one screenshot.
        #expect(Set(results.compactMap { $0.pages.first?.screenshot?.key }).count == 1)
    }
}
