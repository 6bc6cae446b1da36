import ArgumentParser
import Foundation
import Logging
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowScanner
import StageflowThrowaway
import StageflowVision

/// `stageflow-bench vision`: the vision agent's cost outside the model, and how many journeys one controller
/// walks at once.
///
/// - `overhead`: one journey step on every docs-site page (a model that answers at once with `done`), measuring the
///   step's overhead outside the model — page analysis, the marked screenshot (overlay, capture, JPEG), request
///   building (prompt, base64, JSON) — and the request's size; baseline in the same run: a bare viewport PNG
///   screenshot of the same page in the same browser.
/// - `concurrency`: N journeys at once through one browser and one model client, against the loopback model server
///   answering after `--latency-ms`; each walks `--steps` steps of the fixture shop's page chain. A journey's mean step
///   time against a lone journey's (baseline, same run) says how many one controller sustains.
struct VisionBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vision", abstract: "Measure the vision agent's per-step overhead and concurrent journeys.")

    @Option(help: "The docs-site corpus folder.") var site = "../shared/corpus/docs-site"
    @Option(help: "Which parts: all, overhead, concurrency.") var part = "all"
    @Option(help: "Pages of docs-site for the overhead part; 0 for all.") var limit = 0
    @Option(help: "Concurrent journeys to try, comma-separated.") var journeys = "1,2,4,8,12,16"
    @Option(help: "Steps each journey walks in the concurrency part.") var steps = 5
    @Option(help: "Milliseconds the model server takes to answer in the concurrency part.") var latencyMs = 2000
    @Option(help: "A journey's mean step time may grow to this many times a lone journey's and still count as sustained.")
    var sustainedRatio = 1.25

    func run() async throws {
        var logger = Logger(label: "stageflow.bench.vision")
        logger.logLevel = .warning
        if part == "all" || part == "overhead" { try await overhead(logger: logger) }
        if part == "all" || part == "concurrency" { try await concurrency(logger: logger) }
    }

    // MARK: Overhead per step

    func overhead(logger: Logger) async throws {
        let directory = URL(fileURLWithPath: site).standardizedFileURL
        let all = try ScannerBenchmark.pages(in: directory)
        let paths = limit > 0 ? Array(all.prefix(limit)) : all
        let server = try FixtureSite(directory: directory.path)
        defer { server.stop() }
        let model = try await ModelTestServer.start { _ in .action(thought: "seen", action: ["type": "done", "success": true, "summary": "seen"]) }
        defer { model.stop() }
        let browser = try await ChromiumBrowser.launch(confined: true)
        let samples = OverheadSamples()
        let endpoint = ModelEndpoint(baseURL: URL(string: model.baseURL)!, model: "bench/vision")
        let runner = JourneyRunner(
            browser: browser, model: OpenAIModelClient(endpoint: endpoint, logger: logger), endpoint: endpoint,
            settings: JourneyRunner.Settings(overheadObserver: { samples.add($0) }), logger: logger)
        let objects = MemoryObjectStore()
        var baseline: [Int64] = []
        let tab = try await browser.openTab(TabOptions())
        for (number, path) in paths.enumerated() {
            let url = server.baseURL + "/" + path
            let config: JSONValue = ["goal": "look at the page", "startUrl": .string(url), "maxSteps": 1, "accessibility": false]
            let planned = PlannedScanner(
                id: "ai-navigator", version: "1", entry: ScannerEntry(controller: "vision"), config: config, maxConcurrency: 1,
                timeoutSeconds: nil, memoryMiB: nil, severityMapping: nil)
            let plan = ScanPlan(
                job: PlannedJob(uid: "bench-\(number)", namespace: "bench", name: "overhead"), urls: [url], crawl: nil,
                allowPrivateTargets: true, scanners: [planned], artifactsPrefix: "artifacts/bench-\(number)/")
            _ = try await runner.run(
                JourneyRequest(plan: plan, scanner: planned, evidence: try EvidenceWriter(store: objects, jobUID: "bench-\(number)", scanner: "ai-navigator")))
            // Baseline: the same page in a plain tab, one bare viewport screenshot.
            _ = try await tab.load(url, timeout: .seconds(60))
            let start = ContinuousClock.now
            _ = try await tab.screenshot(maxHeight: 800)
            baseline.append((ContinuousClock.now - start).nanoseconds)
        }
        await tab.close()
        await browser.close()
        let taken = samples.all
        let total = PercentileSummary(taken.map(\.total.nanoseconds))
        let bare = PercentileSummary(baseline)
        print("vision overhead per step on \(paths.count) docs-site pages (analysis + marked screenshot + JPEG + request building):")
        print("  ours: median \(f(total.median)) ms, p95 \(f(total.p95)) ms, max \(f(total.max)) ms (goal < 300 ms)")
        print("    analysis median \(f(PercentileSummary(taken.map(\.analysis.nanoseconds)).median)) ms, screenshot median \(f(PercentileSummary(taken.map(\.screenshot.nanoseconds)).median)) ms, request building median \(f(PercentileSummary(taken.map(\.requestBuilding.nanoseconds)).median)) ms")
        print("  baseline (bare viewport PNG screenshot, same pages, same run): median \(f(bare.median)) ms, p95 \(f(bare.p95)) ms")
        print("  ratio ours/baseline: median \(f(total.median / max(bare.median, 0.001)))×, p95 \(f(total.p95 / max(bare.p95, 0.001)))×")
        let sizes = taken.map { Int64($0.requestBytes) }.sorted()
        let size = PercentileSummary(sizes.map { $0 * 1_000_000 })
        print("  request size per step: median \(f(size.median / 1024)) KiB, p95 \(f(size.p95 / 1024)) KiB, max \(f(size.max / 1024)) KiB (goal < 150 KB)")
    }

    // MARK: Concurrent journeys

    func concurrency(logger: Logger) async throws {
        let counts = journeys.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        let site = try await LoopbackHTTPServer.site(ShopFixture.routes)
        defer { site.stop() }
        let model = try await ModelTestServer.start(
            latency: .milliseconds(Int64(latencyMs)), policy: ModelTestServer.script(Array(repeating: .click("Next page"), count: 30)))
        defer { model.stop() }
        print("vision concurrency: journeys of \(steps) steps, model answering after \(latencyMs) ms, one browser, one model client")
        var lone: Double?
        var sustained = 0
        for count in counts {
            let browser = try await ChromiumBrowser.launch(confined: true)
            let endpoint = ModelEndpoint(baseURL: URL(string: model.baseURL)!, model: "bench/vision")
            let client = OpenAIModelClient(endpoint: endpoint, limiter: RequestLimiter(maxConcurrent: count), logger: logger)
            let runner = JourneyRunner(browser: browser, model: client, endpoint: endpoint, logger: logger)
            let objects = MemoryObjectStore()
            let start = ContinuousClock.now
            let stepTimes = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
                for index in 0..<count {
                    group.addTask {
                        let config: JSONValue = [
                            "goal": "read to the end", "startUrl": .string(site.baseURL + "/p/1"), "maxSteps": .int(Int64(steps)),
                            "accessibility": false,
                        ]
                        let planned = PlannedScanner(
                            id: "ai-navigator", version: "1", entry: ScannerEntry(controller: "vision"), config: config, maxConcurrency: 1,
                            timeoutSeconds: nil, memoryMiB: nil, severityMapping: nil)
                        let uid = "bench-\(count)-\(index)"
                        let plan = ScanPlan(
                            job: PlannedJob(uid: uid, namespace: "bench", name: "concurrency"), urls: [site.baseURL + "/"], crawl: nil,
                            allowPrivateTargets: true, scanners: [planned], artifactsPrefix: "artifacts/\(uid)/")
                        let results = try await runner.run(
                            JourneyRequest(plan: plan, scanner: planned, evidence: try EvidenceWriter(store: objects, jobUID: uid, scanner: "ai-navigator")))
                        let journey = results.journey
                        let taken = max(1, journey?.steps.count ?? 1)
                        return (taken, Double(journey?.totals.durationMs ?? 0) / Double(taken))
                    }
                }
                var all: [(Int, Double)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let wall = (ContinuousClock.now - start).seconds
            await browser.close()
            let completed = stepTimes.filter { $0.0 >= steps }.count
            let meanStep = stepTimes.map(\.1).reduce(0, +) / Double(max(1, stepTimes.count))
            if lone == nil { lone = meanStep }
            let ratio = meanStep / max(lone ?? meanStep, 1)
            let ok = completed == count && ratio <= sustainedRatio
            if ok { sustained = count }
            print(
                "  \(count) journeys: mean step \(f(meanStep)) ms (\(f(ratio))× a lone journey's), \(completed)/\(count) walked all \(steps) steps, "
                    + "wall \(f(wall)) s, \(f(Double(stepTimes.map(\.0).reduce(0, +)) / wall)) steps/s\(ok ? "" : " — not sustained")")
        }
        print("  sustained: \(sustained) concurrent journeys (mean step time within \(f(sustainedRatio))× of a lone journey's)")
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Step overheads as the journey runner reports them, from several tasks.
final class OverheadSamples: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [StepOverhead] = []

    func add(_ sample: StepOverhead) { lock.withLock { samples.append(sample) } }

    var all: [StepOverhead] { lock.withLock { samples } }
}

/// Median, 95th percentile and maximum of samples in nanoseconds, in milliseconds.
struct PercentileSummary {
    var median: Double
    var p95: Double
    var max: Double

    init(_ nanoseconds: [Int64]) {
        let sorted = nanoseconds.sorted()
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))
            return Double(sorted[index]) / 1_000_000
        }
        median = at(0.5)
        p95 = at(0.95)
        max = Double(sorted.last ?? 0) / 1_000_000
    }
}
