import Foundation
import StageflowHTTP
import StageflowReport

/// The `security-headers` scanner: grades every page's response headers (and `<meta http-equiv>` policies,
/// cookies, redirects from plain HTTP, CORS, script integrity) with the Mozilla HTTP Observatory's tests and
/// scoring, and reports what falls short as findings, with a score and grade per page.
public struct SecurityHeadersScanner: BuiltinScanner {
    /// `security-headers`.
    public let id = "security-headers"
    /// Shown in the report.
    public let toolVersion = "stageflow security-headers 1.0 (Mozilla HTTP Observatory tests, algorithm 4)"

    /// The scanner's configuration (the manifest's `configSchema`).
    public struct Configuration: Decodable, Sendable {
        /// Limit on each request, in seconds (default 15).
        public var timeoutSeconds: Int?
        /// Also request the page over plain HTTP to grade the redirection to HTTPS (default true).
        public var checkRedirection: Bool?
        /// Send a request with a foreign `Origin` to grade CORS (default true).
        public var checkCORS: Bool?
        /// A file with the HSTS preload list (Chromium's or the Observatory's JSON); default
        /// `$STAGEFLOW_HSTS_PRELOAD_LIST`, else none.
        public var hstsPreloadList: String?
    }

    /// The `Origin` the CORS probe sends: a name that can belong to no site.
    public static let probeOrigin = "https://cors-probe.stageflow.invalid"

    /// A scanner.
    public init() {}

    /// Grades every page of the plan.
    public func scan(_ context: ScanContext) async throws -> ScannerResults {
        let configuration = try context.decodeConfig(Configuration.self)
        let preloadList = try Self.loadPreloadList(configuration.hstsPreloadList)
        let timeout = Duration.seconds(max(1, configuration.timeoutSeconds ?? 15))
        let crawl = try await context.crawlPages(timeout: timeout, retriesUnverifiedTLS: true)
        let grading = PageGrading(
            fetcher: context.fetcher, timeout: timeout, checkRedirection: configuration.checkRedirection ?? true,
            checkCORS: configuration.checkCORS ?? true, preloadList: preloadList)

        let width = Int(clamping: max(1, context.scanner.maxConcurrency))
        let graded = try await BoundedTasks.map(crawl.pages, width: width) { page -> PageGrading.Graded? in
            guard !context.isPastDeadline else { return nil }
            return try await grading.grade(page)
        }

        var pages: [ScannedPage] = []
        var findings: [ScannerFinding] = []
        var skipped = 0
        for (index, page) in crawl.pages.enumerated() {
            var scanned = page.scannedPage
            scanned.passed = []
            if let result = graded[index] {
                findings += result.findings
                let skipped = Set(result.inapplicable)
                scanned.passed = result.checked.filter { !skipped.contains($0) }
                scanned.inapplicable = result.inapplicable.isEmpty ? nil : result.inapplicable
                try await context.evidence.writeJSON("\(PageIdentifier.id(for: page.url)).json", result.evidence)
            } else if page.errors.isEmpty {
                skipped += 1
                scanned.errors = ["not graded: the time budget ran out"]
            }
            pages.append(scanned)
        }
        return Self.results(pages: pages, findings: findings, skipped: skipped, budgetExhausted: crawl.budgetExhausted)
    }

    /// The run's status: `failed` when no page could be graded, `partial` when some could not, else
    /// `success`.
    static func results(pages: [ScannedPage], findings: [ScannerFinding], skipped: Int, budgetExhausted: Bool) -> ScannerResults {
        let failedPages = pages.filter { !($0.errors ?? []).isEmpty }.count
        let gradedPages = pages.count - failedPages
        var results = ScannerResults(
            scanner: "security-headers", pages: pages, findings: findings, rules: SecurityHeaderChecks.descriptors, category: .security)
        if pages.isEmpty || gradedPages == 0 {
            results.status = .failed
            results.error = pages.isEmpty ? "the plan has no pages" : "no page could be fetched: \(pages[0].errors?.first ?? "")"
        } else if failedPages > 0 || budgetExhausted {
            results.status = .partial
            var reasons: [String] = []
            if failedPages > 0 { reasons.append("\(failedPages) of \(pages.count) pages could not be graded") }
            if budgetExhausted || skipped > 0 { reasons.append("the time budget ran out before every page was graded") }
            results.error = reasons.joined(separator: "; ")
        }
        return results
    }

    /// The configured preload list, or an empty one.
    static func loadPreloadList(_ configured: String?) throws -> HSTSPreloadList {
        let path = configured ?? ProcessInfo.processInfo.environment["STAGEFLOW_HSTS_PRELOAD_LIST"]
        guard let path, !path.isEmpty else { return HSTSPreloadList() }
        do {
            return try HSTSPreloadList(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ScannerRunError(.badInput, "HSTS preload list \(path) cannot be read: \(error.localizedDescription)")
        }
    }
}
