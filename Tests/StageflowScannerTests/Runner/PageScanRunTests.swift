import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// A page scanner for tests: counts the pages it sees, reports one finding per page (and, with a tab, the
/// tab's answer to `document.title`), and a cross-page finding at the end.
private struct CountingScanner: PageScanner {
    let id: String
    let requiresBrowser: Bool
    let counter: Counter

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [String] = []
        func record(_ url: String) { lock.withLock { seen.append(url) } }
        var pages: [String] { lock.withLock { seen } }
    }

    func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession {
        if setup.config?["fail"] == true { throw ScannerRunError(.badInput, "\(id) cannot start: told to fail") }
        return Session(id: id, counter: counter)
    }

    struct Session: PageScanSession {
        let id: String
        let counter: Counter
        var toolVersion: String { "\(id) 1.0" }
        var documentStartScript: String? { "/* \(id) */" }

        func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome {
            counter.record(page.url)
            let title = try await tab?.evaluate("document.title").stringValue ?? "no tab"
            return PageScanOutcome(findings: [
                ScannerFinding(ruleId: "seen", title: "Seen", message: title, severity: .info, severityRaw: "notice", url: page.url)
            ])
        }

        func finish() async throws -> [ScannerFinding] {
            [ScannerFinding(ruleId: "pages", title: "Pages", message: "\(counter.pages.count)", severity: .info, url: "")]
        }
    }
}

/// Counts loads per URL and records the options tabs were opened with.
private final class CountingBrowser: Browser, @unchecked Sendable {
    let inner: MemoryBrowser
    private let lock = NSLock()
    private(set) var loads: [String] = []
    private(set) var scripts: [[String]] = []

    init(_ inner: MemoryBrowser) { self.inner = inner }
    var version: String { "counting" }
    func close() async {}

    func openTab(_ options: TabOptions) async throws -> any LoadingTab {
        lock.withLock { scripts.append(options.documentStartScripts) }
        return Tab(inner: try await inner.openTab(options), browser: self)
    }

    func recordLoad(_ url: String) { lock.withLock { loads.append(url) } }
    var loadCount: [String] { lock.withLock { loads } }

    struct Tab: LoadingTab {
        let inner: any LoadingTab
        let browser: CountingBrowser
        func load(_ url: String, timeout: Duration) async throws -> TabLoad {
            browser.recordLoad(url)
            return try await inner.load(url, timeout: timeout)
        }
        func evaluate(_ expression: String) async throws -> JSONValue { try await inner.evaluate(expression) }
        func screenshot(maxHeight: Int) async throws -> Screenshot { try await inner.screenshot(maxHeight: maxHeight) }
        func close() async { await inner.close() }
    }
}

@Suite("page scanners sharing one load of each page")
struct PageScanRunTests {
    static let urls = ["http://site.test/", "http://site.test/a", "http://site.test/b"]

    private func runner(_ browser: CountingBrowser, scanners: [any PageScanner]) -> ScannerRunner {
        var configuration = ScannerRunner.Configuration()
        configuration.launchBrowser = { browser }
        configuration.egressPolicy = { _ in nil }
        return ScannerRunner(configuration: configuration, registry: BuiltinScannerRegistry([], pageScanners: scanners))
    }

    private func memoryBrowser() -> CountingBrowser {
        CountingBrowser(
            MemoryBrowser(
                pages: Self.urls.map { LoadedPage(url: $0, html: "<title>T \($0)</title>") },
                evaluator: { url, expression in expression == "document.title" ? .string("title of \(url)") : .null }))
    }

    @Test("every page is loaded once for all scanners; each writes its own results; one screenshot per page")
    func sharedLoad() async throws {
        let browser = memoryBrowser()
        let first = CountingScanner.Counter()
        let second = CountingScanner.Counter()
        let fixture = try await PlanFixture(
            urls: Self.urls,
            scanners: [PlanFixture.builtin("one", maxConcurrency: 2), PlanFixture.builtin("two", maxConcurrency: 2)])
        defer { fixture.remove() }
        let results = try await runner(
            browser,
            scanners: [
                CountingScanner(id: "one", requiresBrowser: true, counter: first),
                CountingScanner(id: "two", requiresBrowser: false, counter: second),
            ]
        ).run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: ["one", "two"])

        #expect(browser.loadCount.sorted() == Self.urls.sorted())
        #expect(first.pages.sorted() == Self.urls.sorted())
        #expect(second.pages.sorted() == Self.urls.sorted())
        #expect(browser.scripts.allSatisfy { $0 == ["/* one */", "/* two */"] })
        #expect(browser.scripts.count <= 2, "at most maxConcurrency tabs")
        #expect(results.map(\.scanner) == ["one", "two"])
        for result in results {
            #expect(result.status == .success)
            // A scanner that works in the tab gets the live page; a markup-only one reads the loaded document
            // after the tab has moved on to the next page, so it gets none.
            let seen = result.scanner == "one" ? Self.urls.map { "title of \($0)" } : Self.urls.map { _ in "no tab" }
            #expect(result.findings.filter { $0.ruleId == "seen" }.map(\.message).sorted() == seen)
            #expect(result.findings.contains { $0.ruleId == "pages" && $0.message == "3" })
            #expect(result.pages.map(\.title).allSatisfy { $0?.hasPrefix("T ") == true })
        }
        let stored = try await fixture.storedResults("two", as: ScannerResults.self)
        #expect(stored.findings.count == 4)
        // The screenshots live once, with the first browser scanner, and every scanner's pages point at them.
        let shots = try await fixture.evidenceKeys("one").filter { $0.hasSuffix(".png") }
        #expect(shots.count == 3)
        #expect(Set(results[1].pages.compactMap(\.screenshot?.key)) == Set(shots))
    }

    @Test("a page that does not load is a page error of every scanner, and the run is partial")
    func pageThatDoesNotLoad() async throws {
        let browser = memoryBrowser()
        let fixture = try await PlanFixture(
            urls: Self.urls + ["http://site.test/missing"], scanners: [PlanFixture.builtin("one"), PlanFixture.builtin("two")])
        defer { fixture.remove() }
        let results = try await runner(
            browser,
            scanners: [
                CountingScanner(id: "one", requiresBrowser: true, counter: .init()),
                CountingScanner(id: "two", requiresBrowser: true, counter: .init()),
            ]
        ).run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: ["one", "two"])
        for result in results {
            #expect(result.status == .partial)
            #expect(result.error == "1 of 4 pages could not be scanned")
            #expect(result.pages.first { $0.url.hasSuffix("/missing") }?.errors == ["net::ERR_CONNECTION_REFUSED"])
        }
    }

    @Test("a scanner that cannot start fails alone; without a browser, browser scanners fail and the others read fetches")
    func failuresStayWithTheirScanner() async throws {
        let browser = memoryBrowser()
        let fixture = try await PlanFixture(
            urls: Self.urls, scanners: [PlanFixture.builtin("one", config: ["fail": true]), PlanFixture.builtin("two")])
        defer { fixture.remove() }
        let results = try await runner(
            browser,
            scanners: [
                CountingScanner(id: "one", requiresBrowser: true, counter: .init()),
                CountingScanner(id: "two", requiresBrowser: true, counter: .init()),
            ]
        ).run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: ["one", "two"])
        #expect(results[0].status == .failed)
        #expect(results[0].error == "one cannot start: told to fail")
        #expect(results[1].status == .success)

        var configuration = ScannerRunner.Configuration()
        configuration.launchBrowser = { throw BrowserError.unavailable("no Chromium found") }
        let noBrowser = ScannerRunner(
            configuration: configuration,
            registry: BuiltinScannerRegistry(
                [],
                pageScanners: [
                    CountingScanner(id: "one", requiresBrowser: true, counter: .init()),
                    CountingScanner(id: "two", requiresBrowser: false, counter: .init()),
                ]))
        let other = try await PlanFixture(urls: ["http://127.0.0.1:9/"], scanners: [PlanFixture.builtin("one"), PlanFixture.builtin("two")])
        defer { other.remove() }
        let fallback = try await noBrowser.run(objectStore: other.store, planKey: other.planKey, scannerIDs: ["one", "two"])
        #expect(fallback[0].status == .failed)
        #expect(fallback[0].error == "no browser: no Chromium found")
        // The fetch fails (nothing listens on port 9): a page error, not a crash.
        #expect(fallback[1].status == .failed)
        #expect(fallback[1].pages.first?.errors?.isEmpty == false)
    }
}

/// A scanner that says it measures page loads.
private struct MeasuringScanner: PageScanner {
    let id = "measuring"
    let requiresBrowser = true
    let measuresLoad = true

    func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession { Session() }

    struct Session: PageScanSession {
        var toolVersion: String { "measuring 1.0" }
        func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome { PageScanOutcome(findings: []) }
    }
}

/// A browser whose loads take a moment and count how many run at once.
private final class OverlapBrowser: Browser, @unchecked Sendable {
    let inner: MemoryBrowser
    private let lock = NSLock()
    private var loading = 0
    private(set) var mostLoading = 0

    init(_ inner: MemoryBrowser) { self.inner = inner }
    var version: String { "overlap" }
    func close() async {}
    func openTab(_ options: TabOptions) async throws -> any LoadingTab { Tab(inner: try await inner.openTab(options), browser: self) }

    func started() { lock.withLock { loading += 1; mostLoading = max(mostLoading, loading) } }
    func ended() { lock.withLock { loading -= 1 } }
    var most: Int { lock.withLock { mostLoading } }

    struct Tab: LoadingTab {
        let inner: any LoadingTab
        let browser: OverlapBrowser
        func load(_ url: String, timeout: Duration) async throws -> TabLoad {
            browser.started()
            try await Task.sleep(for: .milliseconds(40))
            browser.ended()
            return try await inner.load(url, timeout: timeout)
        }
        func evaluate(_ expression: String) async throws -> JSONValue { try await inner.evaluate(expression) }
        func screenshot(maxHeight: Int) async throws -> Screenshot { try await inner.screenshot(maxHeight: maxHeight) }
        func close() async { await inner.close() }
    }
}

@Suite("page loads and a scanner that measures them")
struct MeasuredLoadTests {
    static let urls = (0..<6).map { "http://site.test/\($0)" }

    func run(_ scanners: [any PageScanner]) async throws -> Int {
        let browser = OverlapBrowser(
            MemoryBrowser(pages: Self.urls.map { LoadedPage(url: $0, html: "<title>T</title>") }, evaluator: { _, _ in .null }))
        var configuration = ScannerRunner.Configuration()
        configuration.launchBrowser = { browser }
        configuration.egressPolicy = { _ in nil }
        let runner = ScannerRunner(configuration: configuration, registry: BuiltinScannerRegistry([], pageScanners: scanners))
        let fixture = try await PlanFixture(
            urls: Self.urls,
            scanners: scanners.map { PlanFixture.builtin($0.id, maxConcurrency: $0.measuresLoad ? 1 : 4) })
        defer { fixture.remove() }
        _ = try await runner.run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: scanners.map(\.id))
        return browser.most
    }

    @Test("with a load-measuring scanner pages load one at a time; without it, as wide as the machine allows")
    func loadsAlone() async throws {
        let counter = CountingScanner.Counter()
        let measured = try await run([MeasuringScanner(), CountingScanner(id: "other", requiresBrowser: true, counter: counter)])
        #expect(measured == 1)
        #expect(counter.pages.count == Self.urls.count)
        if PageScanWidth.machine.cores >= 2 {
            let free = try await run([CountingScanner(id: "other", requiresBrowser: true, counter: CountingScanner.Counter())])
            #expect(free >= 2, "loads should overlap without a measuring scanner")
        }
    }
}
