import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// Runs `manifests/plugins/lighthouse/lighthouse.py` as the runner would, but with a PATH of the test's
/// choosing (the runner passes its own environment on, so a test cannot narrow PATH through it).
struct LighthousePluginRun {
    static let script = TestPaths.root.appendingPathComponent("manifests/plugins/lighthouse/lighthouse.py")

    /// The real Python interpreter: `python3` on PATH may be a shim (pyenv) that itself needs PATH.
    static let python: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !path.isEmpty ? path : nil
    }()

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-lighthouse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("evidence"), withIntermediateDirectories: true)
    }

    /// Runs the plugin over `urls` with `PATH` set to `path`; returns its exit status and decoded results.
    func run(urls: [String], path: String, config: String = "{}") throws -> (status: Int32, results: ScannerResults) {
        let plan = ScanPlan(
            job: PlannedJob(uid: "job-1", namespace: "default", name: "test"), urls: urls, crawl: nil,
            allowPrivateTargets: false, scanners: [], artifactsPrefix: "artifacts/job-1/")
        let planFile = directory.appendingPathComponent("plan.json")
        try JSONEncoder().encode(plan).write(to: planFile)
        let resultsFile = directory.appendingPathComponent("results.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.python))
        process.arguments = [Self.script.path]
        process.environment = [
            "PATH": path, "STAGEFLOW_PLAN": planFile.path, "STAGEFLOW_RESULTS": resultsFile.path,
            "STAGEFLOW_EVIDENCE_DIR": directory.appendingPathComponent("evidence").path, "STAGEFLOW_SCANNER": "lighthouse",
            "STAGEFLOW_SCANNER_CONFIG": config,
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let decoder = PluginResultsDecoder(
            scannerID: "lighthouse", mapping: SeverityMapping(["error": .moderate, "warning": .minor]))
        return (process.terminationStatus, try decoder.decode(try Data(contentsOf: resultsFile)))
    }

    /// Installs a fake `lighthouse` in `bin/`: it records its arguments and CHROME_PATH, fails for URLs
    /// containing "broken", and otherwise prints `report`.
    func installFakeLighthouse(report: String) throws {
        let reportFile = directory.appendingPathComponent("report.json")
        try report.write(to: reportFile, atomically: true, encoding: .utf8)
        let fake = """
            #!\(try #require(Self.python))
            import json, os, sys
            with open(\(quoted(directory.appendingPathComponent("calls.jsonl").path)), "a") as calls:
                calls.write(json.dumps({"argv": sys.argv[1:], "chrome": os.environ.get("CHROME_PATH")}) + "\\n")
            if "broken" in sys.argv[1]:
                print("Runtime error encountered: net::ERR_CONNECTION_REFUSED", file=sys.stderr)
                sys.exit(1)
            print(open(\(quoted(reportFile.path))).read())
            """
        let executable = directory.appendingPathComponent("bin/lighthouse")
        try fake.write(to: executable, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable.path)
    }

    /// The fake's recorded calls.
    func calls() throws -> [JSONValue] {
        let text = try String(contentsOf: directory.appendingPathComponent("calls.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }

    func evidence() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("evidence").path)) ?? []).sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func quoted(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

@Suite("lighthouse exec plugin")
struct LighthousePluginTests {
    /// A hand-written report in Lighthouse's shape: failing binary, numeric and metricSavings audits, a passing
    /// one, and audits that are not scored; the five weighted metrics with their values and the performance
    /// score Lighthouse's formula gives them (mobile: FCP 2500 ms 0.67, SI 4500 ms 0.72, LCP 3500 ms 0.64,
    /// TBT 450 ms 0.63, CLS 0.12 0.84 → 0.70).
    static let report = """
        {"lighthouseVersion": "12.1.0", "finalDisplayedUrl": "https://example.com/",
         "categories": {
           "performance": {"score": 0.70, "auditRefs": [{"id": "first-contentful-paint", "weight": 10}, {"id": "speed-index", "weight": 10},
             {"id": "largest-contentful-paint", "weight": 25}, {"id": "total-blocking-time", "weight": 30},
             {"id": "cumulative-layout-shift", "weight": 25}, {"id": "unused-javascript", "weight": 0}]},
           "accessibility": {"score": 0.8, "auditRefs": [{"id": "image-alt", "weight": 10}, {"id": "document-title", "weight": 7}]}},
         "audits": {
          "first-contentful-paint": {"id": "first-contentful-paint", "title": "First Contentful Paint", "score": 0.67,
            "scoreDisplayMode": "informative", "numericValue": 2500},
          "speed-index": {"id": "speed-index", "title": "Speed Index", "score": 0.72, "scoreDisplayMode": "informative", "numericValue": 4500},
          "total-blocking-time": {"id": "total-blocking-time", "title": "Total Blocking Time", "score": 0.63,
            "scoreDisplayMode": "informative", "numericValue": 450},
          "image-alt": {"id": "image-alt", "title": "Image elements do not have `[alt]` attributes",
            "description": "Informative elements should aim for short, descriptive alternate text. [Learn how to add alt text](https://dequeuniversity.com/rules/axe/4.9/image-alt).",
            "score": 0, "scoreDisplayMode": "binary",
            "details": {"type": "table", "items": [
              {"node": {"type": "node", "selector": "main > img", "snippet": "<img src=\\"a.png\\">"}},
              {"node": {"type": "node", "selector": "footer > img", "snippet": "<img src=\\"b.png\\">"}},
              {"node": {"type": "node", "selector": "main > img", "snippet": "<img src=\\"a.png\\">"}}]}},
          "largest-contentful-paint": {"id": "largest-contentful-paint", "title": "Largest Contentful Paint",
            "description": "LCP marks the time the largest text or image is painted. [Learn more](https://developer.chrome.com/docs/lighthouse/performance/lighthouse-largest-contentful-paint/)",
            "score": 0.42, "scoreDisplayMode": "numeric", "displayValue": "5.1 s", "numericValue": 3500},
          "unused-javascript": {"id": "unused-javascript", "title": "Reduce unused JavaScript",
            "description": "Reduce unused JavaScript and defer loading scripts until they are required.",
            "score": 0.5, "scoreDisplayMode": "metricSavings", "displayValue": "Est savings of 120 KiB",
            "details": {"type": "opportunity", "items": [{"url": "https://example.com/app.js", "wastedBytes": 122880}]}},
          "document-title": {"id": "document-title", "title": "Document has a `<title>` element", "score": 1,
            "scoreDisplayMode": "binary"},
          "cumulative-layout-shift": {"id": "cumulative-layout-shift", "title": "Cumulative Layout Shift",
            "score": 0.9, "scoreDisplayMode": "numeric", "displayValue": "0.1", "numericValue": 0.12},
          "uses-http2": {"id": "uses-http2", "title": "Use HTTP/2", "score": null, "scoreDisplayMode": "notApplicable"},
          "diagnostics": {"id": "diagnostics", "title": "Diagnostics", "score": null, "scoreDisplayMode": "informative"},
          "manual-check": {"id": "manual-check", "title": "Check by hand", "score": 0, "scoreDisplayMode": "manual"}
        }}
        """

    @Test(
        "without lighthouse on PATH the run is skipped with an install hint, and the plugin exits 0",
        .enabled(if: LighthousePluginRun.python != nil, "python3 is not available"))
    func notInstalled() throws {
        let run = try LighthousePluginRun()
        defer { run.remove() }
        let (status, results) = try run.run(urls: ["https://example.com/"], path: "")
        #expect(status == 0)
        #expect(results.status == .skipped)
        #expect(results.error == "lighthouse is not installed (npm install -g lighthouse)")
        #expect(results.findings.isEmpty)
        #expect(results.scanner == "lighthouse")
    }

    @Test(
        "failing scored audits become findings, one per element; failed pages are page errors",
        .enabled(if: LighthousePluginRun.python != nil, "python3 is not available"))
    func mapsAudits() throws {
        let run = try LighthousePluginRun()
        defer { run.remove() }
        try run.installFakeLighthouse(report: Self.report)
        let (status, results) = try run.run(
            urls: ["https://example.com/", "https://example.com/broken"], path: run.directory.appendingPathComponent("bin").path)
        #expect(status == 0)
        #expect(results.status == .partial)
        #expect(results.toolVersion == "lighthouse 12.1.0")
        #expect(results.pages.map(\.url) == ["https://example.com/", "https://example.com/broken"])
        #expect(results.pages[0].errors == nil)
        #expect(
            results.pages[1].errors == ["lighthouse exited with status 1: Runtime error encountered: net::ERR_CONNECTION_REFUSED"])

        #expect(results.findings.map(\.ruleId) == ["image-alt", "image-alt", "largest-contentful-paint", "unused-javascript"])
        let images = results.findings.filter { $0.ruleId == "image-alt" }
        #expect(images.map(\.selector) == ["main > img", "footer > img"])
        #expect(images.map(\.html) == ["<img src=\"a.png\">", "<img src=\"b.png\">"])
        let image = images[0]
        #expect(image.title == "Image elements do not have `[alt]` attributes")
        #expect(image.message == "Informative elements should aim for short, descriptive alternate text.")
        #expect(image.helpUrl == "https://dequeuniversity.com/rules/axe/4.9/image-alt")
        #expect(image.severityRaw == "error" && image.severity == .moderate)
        let lcp = results.findings[2]
        #expect(lcp.message == "5.1 s" && lcp.selector == nil && lcp.severity == .moderate)
        #expect(lcp.howToFix == "LCP marks the time the largest text or image is painted.")
        let unused = results.findings[3]
        #expect(unused.message == "Est savings of 120 KiB" && unused.severityRaw == "warning" && unused.severity == .minor)
        #expect(results.findings.allSatisfy { $0.url == "https://example.com/" })

        let calls = try run.calls()
        #expect(calls.count == 2)
        #expect(
            calls.first?["argv"] == [
                "https://example.com/", "--output=json", "--quiet", "--chrome-flags=--headless=new --no-sandbox",
            ])
        #expect(calls.first?["chrome"] == "/usr/bin/chromium")
        #expect(run.evidence() == ["lighthouse-1.json"])

        // Categories and metrics: the report scores the page's performance as Lighthouse does.
        #expect(images.allSatisfy { $0.category == .accessibility } && lcp.category == .performance && unused.category == .performance)
        let metrics = try #require(results.pages[0].metrics)
        #expect(metrics == PageMetrics(formFactor: .mobile, fcpMs: 2500, speedIndexMs: 4500, lcpMs: 3500, tbtMs: 450, cls: 0.12))
        let report = ReportAggregator().aggregate(
            meta: ReportMeta(jobId: "j", baseUrl: "https://example.com/", scannedAt: "t", completedAt: "t", durationMs: 0), results: [results])
        #expect(report.pages.first { $0.url == "https://example.com/" }?.performanceScore == 70)
        // The plugin's rules say which categories it covers; the page it could not audit makes them partial.
        #expect(report.summary.categories.map(\.id) == [.accessibility, .performance])
        #expect(report.summary.categories.allSatisfy { $0.status == .partial })
        #expect(report.summary.score(of: .performance) == 70)
    }

    @Test(
        "the desktop preset and a category filter reach the command line",
        .enabled(if: LighthousePluginRun.python != nil, "python3 is not available"))
    func options() throws {
        let run = try LighthousePluginRun()
        defer { run.remove() }
        try run.installFakeLighthouse(report: #"{"lighthouseVersion": "12.1.0", "audits": {}}"#)
        let (status, results) = try run.run(
            urls: ["https://example.com/"], path: run.directory.appendingPathComponent("bin").path,
            config: #"{"formFactor": "desktop", "categories": ["performance", "seo"]}"#)
        #expect(status == 0 && results.status == .success && results.findings.isEmpty)
        let argv = try run.calls().first?["argv"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(argv.contains("--preset=desktop") && argv.contains("--only-categories=performance,seo"))
    }
}
