import ArgumentParser
import Foundation
import Logging
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowScanner
import StageflowThrowaway

/// `stageflow-bench scanners`: the scanners over the docs-site corpus, each measured side by side with its
/// baseline in one run: the full default scanner set against one bare navigation plus one `axe.run()` per page;
/// `axe` against Selenium + chromedriver + axe.min.js; `link-checker` against Debian's `linkchecker`; and page
/// loads with and without failing unreachable hosts fast.
struct ScannerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scanners", abstract: "Measure the scanners against the work they cannot avoid and against reference tools.")

    @Option(help: "The docs-site corpus folder.") var site = "../shared/corpus/docs-site"
    @Option(help: "Pages in flight at once, for both sides.") var concurrency = 2
    @Option(help: "Which comparisons: all, pages, axe, links, fail-fast.") var part = "all"
    @Option(help: "Scan only the first N pages (for profiling); 0 for all.") var limit = 0
    @Option(help: "Rounds of the full-set comparison, baseline and ours alternating; the medians are compared.") var rounds = 1
    @Flag(help: "Log where the page scan time goes (per scanner, load, screenshot) and each scanner's duration.") var profile = false

    func run() async throws {
        let directory = URL(fileURLWithPath: site).standardizedFileURL
        let all = try Self.pages(in: directory)
        let paths = limit > 0 ? Array(all.prefix(limit)) : all
        // The LinkChecker header lifts linkchecker's limit of 10 requests a second (see LinkcheckerBaseline).
        let server = try FixtureSite(directory: directory.path, headers: ["LinkChecker": "benchmark"])
        defer { server.stop() }
        let base = server.baseURL + "/"
        print("docs-site: \(paths.count) pages served at \(base), concurrency \(concurrency)")
        let axe = try AxeSource.load()
        if part == "all" || part == "fail-fast" { try await failFast(base: base, axe: axe) }
        if part == "all" || part == "pages" { try await fullSet(base: base, paths: paths, axe: axe) }
        if part == "all" || part == "axe" { try await axeAgainstSelenium(base: base, paths: paths, axe: axe) }
        if part == "all" || part == "links" { try await linksAgainstLinkchecker(base: base, paths: paths) }
    }

    /// Every HTML page of the site but the stray template `theme/main.html`, as paths below the root.
    static func pages(in directory: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "html" else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(directory.path.count + 1))
            if relative == "theme/main.html" { continue }
            paths.append(relative.hasSuffix("index.html") ? String(relative.dropLast("index.html".count)) : relative)
        }
        return paths.sorted()
    }

    // MARK: Comparisons

    /// Baseline and full set alternate for `rounds` rounds, so a noisy neighbour slows both alike; the medians
    /// are compared.
    private func fullSet(base: String, paths: [String], axe: AxeSource) async throws {
        let registry = BuiltinScannerRegistry.standard
        let ids = registry.ids
        var baselines: [Double] = []
        var ours: [Double] = []
        var findings = ""
        for round in 1...max(1, rounds) {
            let baseline = try await NavigationFloor.seconds(base: base, paths: paths, axe: axe, tabs: concurrency)
            let (seconds, results) = try await runScanners(ids, base: base, paths: paths)
            baselines.append(baseline)
            ours.append(seconds)
            findings = results.map { "\($0.scanner) \($0.findings.count)" }.joined(separator: ", ")
            if profile {
                print("scanner durations: " + results.map { "\($0.scanner) \(String(format: "%.1f", Double($0.timings?.durationMs ?? 0) / 1000)) s" }.joined(separator: ", "))
            }
            if rounds > 1 { print(String(format: "round %d: full set %.1f s, baseline %.1f s, ratio %.2f×", round, seconds, baseline, seconds / baseline)) }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print(
            String(
                format: "full default set (%@) over %d pages: %.1f s; bare navigation + axe.run(): %.1f s; ratio %.2f× (goal ≤ 1.25×; medians of %d rounds); findings: %@",
                ids.joined(separator: ", "), paths.count, median(ours), median(baselines), median(ours) / median(baselines), ours.count, findings))
    }

    private func axeAgainstSelenium(base: String, paths: [String], axe: AxeSource) async throws {
        let pathsFile = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-paths-\(UUID().uuidString)")
        try paths.joined(separator: "\n").write(to: pathsFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: pathsFile) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("benchmarks/selenium-axe.py").path
        let selenium = try StageflowThrowaway.run("/usr/bin/python3", [script, base, pathsFile.path, String(concurrency), axe.path])
        guard selenium.status == 0, let output = try? JSONValue.parse(selenium.stdout) else {
            print("axe vs Selenium: the Selenium loop failed (python3-selenium and chromium-driver installed?): \(selenium.stderr.suffix(500))")
            return
        }
        let seleniumSeconds = output["seconds"]?.doubleValue ?? 0
        let (seconds, results) = try await runScanners(["axe"], base: base, paths: paths, axeConfig: ["includeIncomplete": false])
        var ours: [String: Set<String>] = [:]
        for finding in results[0].findings { ours[finding.url, default: []].insert("\(finding.ruleId)|\(finding.selector ?? "")") }
        var differing: [String] = []
        for (url, value) in output["violations"]?.objectValue ?? [:] {
            let theirs = Set((value.arrayValue ?? []).compactMap(\.stringValue))
            if theirs != (ours[url] ?? []) { differing.append(url) }
        }
        let perMinute = { (seconds: Double) in Double(paths.count) / seconds * 60 }
        print(
            String(
                format: "axe: %.0f pages/min (%.1f s); Selenium + chromedriver + axe.min.js: %.0f pages/min (%.1f s); speed-up %.2f× (goal ≥ 1.5×); pages with different violations: %d of %d %@",
                perMinute(seconds), seconds, perMinute(seleniumSeconds), seleniumSeconds, seleniumSeconds / seconds,
                differing.count, paths.count, differing.sorted().prefix(5).joined(separator: " ")))
    }

    private func linksAgainstLinkchecker(base: String, paths: [String]) async throws {
        let (referenceSeconds, broken) = try LinkcheckerBaseline.run(base: base)
        let (seconds, results) = try await runScanners(
            ["link-checker"], base: base, paths: [""],
            crawl: try JSONValue.object(["maxPages": 200, "sameOrigin": true]).decode(as: CrawlOptions.self))
        let ours = results[0].findings.filter { $0.severity >= .moderate }
        print(
            String(
                format: "link-checker: %.1f s, %d pages, %d broken references (%@); linkchecker (rate limit lifted, 16 threads): %.1f s, %d error rows; speed-up %.1f× (goal ≥ 10×)",
                seconds, results[0].pages.count, ours.count,
                Set(ours.map(\.ruleId)).sorted().joined(separator: ", "), referenceSeconds, max(0, broken), referenceSeconds / seconds))
    }

    private func failFast(base: String, axe: AxeSource) async throws {
        // index.html references web fonts, badges and scripts on other hosts.
        let slow = try await NavigationFloor.seconds(base: base, paths: ["", "", ""], axe: axe, tabs: concurrency)
        let fast = try await NavigationFloor.seconds(base: base, paths: ["", "", ""], axe: axe, tabs: concurrency, probe: HostReachability())
        print(String(format: "docs-site index (×3): %.2f s per page as the browser waits; %.2f s when unreachable hosts fail fast (%.1f× faster)", slow / 3, fast / 3, slow / fast))
    }

    private func runScanners(
        _ ids: [String], base: String, paths: [String], crawl: CrawlOptions? = nil, axeConfig: JSONValue? = nil
    ) async throws -> (Double, [ScannerResults]) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try FilesystemObjectStore(root: root)
        let uid = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let planned = ids.map { id in
            PlannedScanner(
                id: id, version: "1", entry: ScannerEntry(builtin: id), config: id == "axe" ? axeConfig : nil,
                maxConcurrency: Int64(concurrency), timeoutSeconds: 3600, memoryMiB: nil, severityMapping: nil)
        }
        let plan = ScanPlan(
            job: PlannedJob(uid: uid, namespace: "default", name: "bench"), urls: paths.map { base + $0 }, crawl: crawl,
            allowPrivateTargets: true, scanners: planned, artifactsPrefix: try ObjectKeys.artifactsPrefix(jobUID: uid))
        let planKey = try ObjectKeys.plan(jobUID: uid)
        try await store.put(planKey, data: try JSONEncoder().encode(plan), contentType: "application/json")
        var logger = Logger(label: "bench")
        logger.logLevel = profile ? .info : .warning
        let start = ContinuousClock.now
        let results = try await ScannerRunner(logger: logger).run(objectStore: store, planKey: planKey, scannerIDs: ids)
        return ((ContinuousClock.now - start).seconds, results)
    }
}

/// axe.min.js where the axe scanner finds it.
struct AxeSource {
    let path: String
    let source: String

    static func load() throws -> AxeSource {
        let path = ProcessInfo.processInfo.environment["STAGEFLOW_AXE_SCRIPT"] ?? "/usr/local/share/stageflow/axe/axe.min.js"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchmarkError("no axe.min.js at \(path); run scripts/install-dependencies")
        }
        return AxeSource(path: path, source: String(decoding: data, as: UTF8.self))
    }
}
