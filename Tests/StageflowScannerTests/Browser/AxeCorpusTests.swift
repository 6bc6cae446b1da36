import Foundation
import Logging
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// axe-core's own rule fixtures (corpus/axe), each loaded in real Chromium and checked with only its rule inside
/// `#fixture`, as axe-core's integration tests do.
@Suite("axe on axe-core's rule fixtures", .serialized)
struct AxeCorpusTests {
    struct Page: Decodable {
        var page: String
        var rule: String
    }

    struct Expected: Decodable {
        var violations: [[JSONValue]]?
    }

    static let corpus = TestPaths.corpus.appendingPathComponent("axe")
    static let isAvailable = TestPaths.exists(corpus.appendingPathComponent("pages/index.json"))
        && ChromiumBrowserTests.isAvailable && (try? AxeScript.load()) != nil

    @Test(
        "for at least 95 of the 97 pages the violations of the page's own rule match the expected selectors",
        .enabled(if: isAvailable, "needs corpus/axe, chromium and axe.min.js (scripts/install-dependencies)"))
    func fixtures() async throws {
        let pages = try JSONDecoder().decode([Page].self, from: Data(contentsOf: Self.corpus.appendingPathComponent("pages/index.json")))
        #expect(pages.count == 97)
        let server = try await LocalServer.serving(directory: Self.corpus)
        defer { server.stop() }
        let browser = try await ChromiumBrowser.launch()
        let script = try AxeScript.load()
        let fetcher = PageFetcher(policy: PermissiveFetchPolicy())
        let outcomes = try await BoundedTasks.map(Array(pages.enumerated()), width: 2) { _, page -> (String, Bool, String) in
            let planned = PlannedScanner(
                id: "axe", version: "1", entry: ScannerEntry(builtin: "axe"),
                config: ["rules": [.string(page.rule)], "include": ["#fixture"], "includeIncomplete": false],
                maxConcurrency: 2, timeoutSeconds: nil, memoryMiB: nil, severityMapping: nil)
            let session = try await AxeScanner().makeSession(
                PageScanSetup(scanner: planned, fetcher: fetcher, logger: Logger(label: "test")))
            let tab = try await browser.openTab(TabOptions(documentStartScripts: [script.source]))
            defer { Task { await tab.close() } }
            let load = try await tab.load(server.base + "/" + page.page, timeout: .seconds(30))
            guard let loaded = load.page else { return (page.page, false, "did not load: \(load.errors)") }
            let outcome = try await session.scan(loaded, tab: tab)
            let found = Set(outcome.findings.filter { $0.ruleId == page.rule }.compactMap(\.selector))
            let expectedURL = Self.corpus.appendingPathComponent(page.page.replacingOccurrences(of: ".html", with: ".expected.json"))
            let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: expectedURL))
            let wanted = Set((expected.violations ?? []).map(AxeResults.selector))
            let detail = "missing \(wanted.subtracting(found).sorted()), extra \(found.subtracting(wanted).sorted()) \(outcome.errors)"
            return (page.page, found == wanted, detail)
        }
        await browser.close()
        let mismatches = outcomes.filter { !$0.1 }
        for mismatch in mismatches { print("axe corpus mismatch: \(mismatch.0): \(mismatch.2)") }
        #expect(outcomes.count - mismatches.count >= 95, "\(mismatches.map { "\($0.0): \($0.2)" })")
    }
}
