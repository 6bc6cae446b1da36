import Foundation
import StageflowAPI
import StageflowReport

/// Aggregates, deduplicates and fingerprints synthetic scanner results (`findings` spread evenly over
/// `scanners` scanners and `pages` pages, with overlapping rules so that deduplication has work to do),
/// and compares the time with merely decoding the same `results.json` documents, measured in the same run.
/// Returns the figures as printable lines.
func runReportBenchmark(findings: Int = 100_000, pages: Int = 1_000, scanners: Int = 8, iterations: Int = 5) async throws -> String {
    let documents = try ReportBenchmark.documents(findings: findings, pages: pages, scanners: scanners)
    let bytes = documents.reduce(0) { $0 + $1.count }
    let meta = ReportMeta(
        jobId: "bench", baseUrl: "https://bench.example/", scannedAt: "2026-01-16T10:00:00Z",
        completedAt: "2026-01-16T10:05:00Z", durationMs: 300_000
    )
    let aggregator = ReportAggregator()
    let decoder = JSONDecoder()

    var decodeTimes: [ReportBenchmark.Timing] = []
    var aggregateTimes: [ReportBenchmark.Timing] = []
    var pipelineTimes: [ReportBenchmark.Timing] = []
    var report: Report?
    for _ in 0..<max(1, iterations) {
        var decoded: [ScannerResults] = []
        decodeTimes.append(try ReportBenchmark.measure {
            decoded = try documents.map { try decoder.decode(ScannerResults.self, from: $0) }
        })
        // Earlier results are released outside the timed regions.
        report = nil
        aggregateTimes.append(try ReportBenchmark.measure { report = aggregator.aggregate(meta: meta, results: decoded) })
        report = nil
        decoded = []
        pipelineTimes.append(try ReportBenchmark.measure {
            let results = try documents.map { try decoder.decode(ScannerResults.self, from: $0) }
            report = aggregator.aggregate(meta: meta, results: results)
        })
    }
    guard let report else { return "report benchmark: no iterations" }
    var encoded = Data()
    let encodeTime = try ReportBenchmark.measure { encoded = try report.jsonData() }

    let decode = ReportBenchmark.median(decodeTimes)
    let aggregate = ReportBenchmark.median(aggregateTimes)
    let pipeline = ReportBenchmark.median(pipelineTimes)
    let merged = report.issues.reduce(0) { $0 + $1.mergedIds.count }
    let ratio = pipeline.cpu / decode.cpu
    let lines = [
        "report: \(findings) findings, \(scanners) scanners, \(pages) pages, \(bytes / 1_048_576) MiB of results.json; median of \(iterations), wall / CPU",
        "report:   decode only (JSONDecoder)              \(decode)",
        "report:   aggregate+dedup+fingerprint (decoded)  \(aggregate)  (\(Int(Double(findings) / aggregate.cpu)) findings/CPU-s)  goal ≤ 1 s: \(aggregate.cpu <= 1 ? "met" : "missed")",
        "report:   decode+aggregate (pipeline)            \(pipeline)",
        "report:   pipeline / decode-only (CPU) = \(String(format: "%.2f", ratio))×  goal ≤ 2×: \(ratio <= 2 ? "met" : "missed")",
        "report:   \(report.issues.count) issues, \(report.summary.occurrences) elements (\(merged) findings merged across scanners), "
            + "score \(report.summary.score.map { String(format: "%.1f", $0) } ?? "none") \(report.summary.grade ?? "")",
        "report:   (encode report.json, \(encoded.count / 1_048_576) MiB: \(encodeTime), not part of the goal)",
    ]
    return lines.joined(separator: "\n")
}

/// Synthetic input and timing helpers of the report benchmark.
enum ReportBenchmark {
    /// Scanner ids and their rules; the first rules of axe, seo and lighthouse are equivalent in the built-in
    /// table, so findings at the same position on the same element merge.
    static let catalogue: [(id: String, rules: [String])] = [
        ("axe", ["image-alt", "link-name", "color-contrast", "label", "region", "list"]),
        ("seo", ["images-missing-alt", "link-text-missing", "missing-meta-description", "heading-hierarchy", "broken-link", "noindex"]),
        ("lighthouse", ["image-alt", "link-name", "color-contrast", "label", "unused-javascript", "largest-contentful-paint"]),
        ("security-headers", ["hsts-missing", "csp-missing", "frame-protection-missing", "referrer-policy-missing", "cookie-insecure", "cors-wildcard"]),
        ("link-checker", ["broken-image", "broken-link", "redirect-chain", "external-link-slow", "anchor-missing", "mixed-content"]),
        ("open-graph", ["og-title-missing", "og-description-missing", "og-image-missing", "og-url-missing", "twitter-card-missing", "og-type-missing"]),
        ("performance", ["image-request-failed", "render-blocking", "large-image", "uncompressed-text", "long-task", "layout-shift"]),
        ("ai-navigator", ["goal-unreachable", "dead-end", "confusing-label", "broken-flow", "slow-step", "unexpected-dialog"]),
    ]

    static let severities: [Severity] = [.critical, .serious, .moderate, .minor, .info]

    /// One `results.json` per scanner.
    static func documents(findings: Int, pages: Int, scanners: Int) throws -> [Data] {
        let encoder = JSONEncoder()
        let perScanner = findings / max(1, scanners)
        return try (0..<scanners).map { scannerIndex in
            let entry = catalogue[scannerIndex % catalogue.count]
            let scanner = scannerIndex < catalogue.count ? entry.id : "\(entry.id)-\(scannerIndex)"
            let count = perScanner + (scannerIndex < findings % max(1, scanners) ? 1 : 0)
            var results = ScannerResults(scanner: scanner, toolVersion: "\(scanner) 1.0.0", status: .success)
            results.pages = (0..<pages).map { page in
                ScannedPage(
                    url: url(page), title: "Page \(page)", httpStatus: 200,
                    screenshot: ScreenshotReference(key: "artifacts/bench/\(scanner)/\(page).png", width: 1280, height: 4000)
                )
            }
            results.findings.reserveCapacity(count)
            for index in 0..<count {
                let page = index % pages
                let element = index / pages
                let rule = entry.rules[element % entry.rules.count]
                // Mixed spellings of one selector exercise normalisation: every scanner names the same element
                // of a page the same way up to whitespace and the html/body prefix.
                let selector =
                    scannerIndex % 2 == 0
                    ? "html > body > main > section:nth-child(\(element % 7 + 1)) > div.block-\(element)"
                    : "main >  section:nth-child(\(element % 7 + 1))>div.block-\(element)"
                let severity = severities[(index &* 7 &+ scannerIndex) % severities.count]
                results.findings.append(
                    ScannerFinding(
                        ruleId: rule, title: "\(rule) check failed", message: "Element \(element) on page \(page) fails \(rule).",
                        severity: severity, severityRaw: severity.rawValue, url: url(page), selector: selector,
                        html: "<div class=\"block-\(element)\"><img src=\"/img/\(element).png\"></div>",
                        boundingBox: BoundingBox(x: Double(element % 10 * 100), y: Double(element * 40), width: 200, height: 40),
                        wcagTags: ["wcag2a", "wcag111"], howToFix: "Make \(rule) pass.",
                        helpUrl: "https://docs.example.org/\(scanner)/\(rule)"
                    )
                )
            }
            return try encoder.encode(results)
        }
    }

    static func url(_ page: Int) -> String { "https://bench.example/section-\(page % 20)/page-\(page)" }

    /// Wall-clock and process CPU time of one measured run; CPU time is the steadier figure on a busy machine.
    struct Timing: CustomStringConvertible {
        var wall: Double
        var cpu: Double

        var description: String { String(format: "%7.1f ms / %7.1f ms", wall * 1000, cpu * 1000) }
    }

    static func measure(_ body: () throws -> Void) throws -> Timing {
        let clock = ContinuousClock()
        let cpuStart = cpuSeconds()
        let start = clock.now
        try body()
        let wall = clock.now - start
        return Timing(
            wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18,
            cpu: cpuSeconds() - cpuStart
        )
    }

    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The run with the median CPU time.
    static func median(_ timings: [Timing]) -> Timing { timings.sorted { $0.cpu < $1.cpu }[timings.count / 2] }
}
