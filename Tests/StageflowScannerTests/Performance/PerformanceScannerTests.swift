import Foundation
import Logging
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// A browser tab that answers every evaluation with canned JSON and remembers what it was asked.
struct CannedTab: BrowserTab {
    var answer: String
    var failure: String?

    func evaluate(_ expression: String) async throws -> JSONValue {
        if let failure { throw CannedTabError(message: failure) }
        return try JSONValue.parse(answer)
    }
}

struct CannedTabError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

@Suite("performance scanner")
struct PerformanceScannerTests {
    static func session(_ config: JSONValue? = nil) async throws -> any PageScanSession {
        let planned = PlannedScanner(
            id: "performance", version: "1.0.0", entry: ScannerEntry(builtin: "performance"), config: config,
            maxConcurrency: 1, timeoutSeconds: 60, memoryMiB: nil, severityMapping: nil)
        return try await PerformanceScanner().makeSession(
            PageScanSetup(scanner: planned, fetcher: PageFetcher(), logger: Logger(label: "test")))
    }

    static let page = LoadedPage(url: "https://example.com/", html: "<p>hi</p>")

    /// A fast page: every metric well inside the desktop curves.
    static let fast = """
        {"installed": true, "fcp": 400, "lcp": 700, "layoutShifts": [{"startTime": 500, "value": 0.01}],
         "longTasks": [{"startTime": 600, "duration": 80}],
         "navigation": {"startTime": 0, "responseStart": 90, "transferSize": 8000},
         "resources": {"count": 5, "transferSize": 20000}}
        """

    @Test("the scanner needs a browser, installs its observers at document start, and a fast page has no findings")
    func fastPage() async throws {
        let scanner = PerformanceScanner()
        #expect(scanner.id == "performance" && scanner.requiresBrowser)
        let session = try await Self.session()
        #expect(session.documentStartScript == PerformanceScript.documentStart)
        let outcome = try await session.scan(Self.page, tab: CannedTab(answer: Self.fast))
        #expect(outcome.errors.isEmpty)
        #expect(outcome.findings.isEmpty)
    }

    @Test("metrics over budget are findings with value, budget and score; a low overall score is one more")
    func slowPage() async throws {
        let slow = """
            {"installed": true, "fcp": 1700, "lcp": 5200,
             "layoutShifts": [{"startTime": 1000, "value": 0.2}, {"startTime": 1500, "value": 0.15}],
             "longTasks": [{"startTime": 1800, "duration": 450}, {"startTime": 2600, "duration": 200}],
             "navigation": {"startTime": 0, "responseStart": 950}, "resources": {"count": 70, "transferSize": 1000}}
            """
        let network = PageNetworkSummary(requestCount: 61, transferBytes: 3_500_000, failedRequests: 0, timeToFirstByteMs: nil)
        var page = Self.page
        page.network = network
        let session = try await Self.session(["budgets": ["requestCount": 50, "transferBytes": 3_000_000]])
        let outcome = try await session.scan(page, tab: CannedTab(answer: slow))
        #expect(outcome.errors.isEmpty)
        let byRule = Dictionary(uniqueKeysWithValues: outcome.findings.map { ($0.ruleId, $0) })
        #expect(
            Set(byRule.keys) == [
                "fcp-over-budget", "lcp-over-budget", "tbt-over-budget", "cls-over-budget", "ttfb-over-budget",
                "transfer-size-over-budget", "request-count-over-budget", "performance-score",
            ])
        // Desktop curves: FCP 1700 ms is just past the median (1600) → score < 0.5 → warning.
        let fcp = try #require(byRule["fcp-over-budget"])
        #expect(fcp.message.contains("1700 ms") && fcp.message.contains("934 ms") && fcp.message.contains("metric score 0.4"))
        #expect(fcp.severityRaw == "warning" && fcp.severity == .moderate && fcp.selector == nil)
        #expect(byRule["lcp-over-budget"]?.message.contains("1200 ms") == true)
        // TBT: (2250 − 1850) + (2800 − 2650) = 550 ms.
        #expect(byRule["tbt-over-budget"]?.message.contains("550 ms") == true)
        #expect(byRule["cls-over-budget"]?.message.contains("0.350") == true)
        // TTFB from navigation timing (the network log had none): 950 over the 800 default, score above 0.5.
        let ttfb = try #require(byRule["ttfb-over-budget"])
        #expect(ttfb.message.contains("950 ms") && ttfb.message.contains("800 ms") && ttfb.severityRaw == "notice")
        // Requests and bytes from the network log, not resource timing.
        #expect(byRule["request-count-over-budget"]?.message.contains("61 requests") == true)
        #expect(byRule["request-count-over-budget"]?.severityRaw == "notice")
        #expect(byRule["transfer-size-over-budget"]?.message.contains("3.3 MiB") == true)
        let score = try #require(byRule["performance-score"])
        #expect(score.severityRaw == "warning")
        #expect(score.message.contains("below the minimum of 90") && score.message.contains("LCP 5200 ms"))
        #expect(outcome.findings.allSatisfy { $0.url == "https://example.com/" })
    }

    @Test("mobile curves and budgets are more lenient; minScore decides the score finding")
    func mobile() async throws {
        let middling = """
            {"installed": true, "fcp": 1500, "lcp": 2300, "layoutShifts": [], "longTasks": [],
             "navigation": {"startTime": 0, "responseStart": 100}}
            """
        let desktop = try await Self.session().scan(Self.page, tab: CannedTab(answer: middling))
        #expect(desktop.findings.map(\.ruleId).sorted() == ["fcp-over-budget", "lcp-over-budget", "performance-score"])
        let mobile = try await Self.session(["formFactor": "mobile"]).scan(Self.page, tab: CannedTab(answer: middling))
        #expect(mobile.findings.isEmpty)
        let strict = try await Self.session(["formFactor": "mobile", "minScore": 1]).scan(
            Self.page, tab: CannedTab(answer: middling))
        #expect(strict.findings.map(\.ruleId) == ["performance-score"])
        #expect(strict.findings.first?.severityRaw == "notice")
    }

    @Test("without the document-start observers TBT is unknown and left out of the score, which says so")
    func notInstalled() async throws {
        let answer = """
            {"installed": false, "fcp": 3000, "lcp": 4000, "layoutShifts": [], "longTasks": null, "navigation": null,
             "resources": {"count": 3, "transferSize": 0}}
            """
        let outcome = try await Self.session().scan(Self.page, tab: CannedTab(answer: answer))
        let score = try #require(outcome.findings.first { $0.ruleId == "performance-score" })
        #expect(score.message.contains("left out: TBT") && score.message.contains("TBT not measured"))
        #expect(!outcome.findings.contains { $0.ruleId == "tbt-over-budget" })
    }

    @Test("a page that cannot be measured is a page error, not a failure of the run")
    func pageErrors() async throws {
        let session = try await Self.session()
        let noTab = try await session.scan(Self.page, tab: nil)
        #expect(noTab.errors.first?.contains("browser") == true)
        let thrown = try await session.scan(Self.page, tab: CannedTab(answer: "{}", failure: "ReferenceError: boom"))
        #expect(thrown.errors == ["could not read the page's performance timing: ReferenceError: boom"])
        let empty = try await session.scan(Self.page, tab: CannedTab(answer: #"{"installed": false, "longTasks": null}"#))
        #expect(empty.errors.first?.contains("no paint") == true)
        let garbage = try await session.scan(Self.page, tab: CannedTab(answer: #"{"layoutShifts": 3}"#))
        #expect(garbage.errors.first?.contains("unreadable") == true)
    }

    @Test("configuration that does not fit is bad input")
    func badConfiguration() async throws {
        let error = await #expect(throws: ScannerRunError.self) { try await Self.session(["formFactor": "tablet"]) }
        #expect(error?.kind == .badInput)
        let range = await #expect(throws: ScannerRunError.self) { try await Self.session(["minScore": 2]) }
        #expect(range?.message.contains("minScore") == true)
    }
}
