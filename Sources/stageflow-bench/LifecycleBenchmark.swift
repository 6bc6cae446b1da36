import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient
import StageflowScanner
import StageflowThrowaway

/// `stageflow-bench lifecycle`: what a user feels of a small job — create a one-page security-headers ScanJob
/// through the API of a running `stageflow up` and wait for its `Complete` condition on a watch, `--runs` times in
/// a row — with where the time went, from the job's own phase transitions. With `--baseline`, another build's
/// `stageflow` runs beside ours on its own data directory, the runs alternating, and the figures are compared.
struct LifecycleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle", abstract: "Measure create → Complete of a one-page job against stageflow up.")

    @Option(help: "Jobs created, one after another.") var runs = 50
    @Option(help: "The stageflow binary to measure (default: the one beside this benchmark).") var stageflow: String?
    @Option(help: "Another build's stageflow, measured the same way with the runs alternating.") var baseline: String?
    @Option(help: "A site folder (the docs-site corpus): also time a link-checker job crawling it against Debian's linkchecker.")
    var links: String?
    @Option(help: "Rounds of the link-checker comparison, the job and linkchecker alternating; medians are compared.")
    var linkRounds = 5
    @Option(help: "A site folder (the docs-site corpus): also time a job of every built-in scanner over its pages against the floor (bare navigation + axe.run() per page, best of one and two renderers).")
    var fullSet: String?

    func run() async throws {
        let site = try LifecycleSite()
        defer { site.stop() }
        var candidates = [("ours", stageflow ?? Binaries.stageflow)]
        if let baseline { candidates.append(("baseline", baseline)) }
        var servers: [(name: String, server: LifecycleServer)] = []
        defer { for entry in servers { entry.server.stop() } }
        for (name, binary) in candidates { servers.append((name, try await LifecycleServer(binary: binary))) }
        var samples = Dictionary(uniqueKeysWithValues: servers.map { ($0.name, [LifecycleSample]()) })
        // One job each first, unmeasured: the first scanner process of a server pays for loading the binary.
        for entry in servers { _ = try await entry.server.measure(name: "warm-up", site: site.url) }
        for run in 0..<runs {
            for entry in servers {
                samples[entry.name, default: []].append(try await entry.server.measure(name: "run-\(run)", site: site.url))
            }
        }
        for entry in servers {
            print(LifecycleSample.summary(of: samples[entry.name] ?? [], label: "\(entry.name) (\(entry.server.binary))"))
        }
        if let ours = samples["ours"], let theirs = samples["baseline"], !ours.isEmpty, !theirs.isEmpty {
            let ratio = LifecycleSample.percentile(ours.map(\.total), 0.5) / LifecycleSample.percentile(theirs.map(\.total), 0.5)
            print(String(format: "p50 create → Complete, ours over baseline: %.2f", ratio))
        }
        if let links { try await linkCheck(URL(fileURLWithPath: links).standardizedFileURL.path, servers: servers) }
        if let fullSet { try await fullSetAgainstFloor(URL(fileURLWithPath: fullSet).standardizedFileURL, servers: servers) }
    }

    /// Every built-in scanner over the site's pages as one job, create → Complete, on each server, then the floor
    /// with one and with two tabs, unreachable hosts failing fast for all.
    private func fullSetAgainstFloor(_ directory: URL, servers: [(name: String, server: LifecycleServer)]) async throws {
        let site = try FixtureSite(directory: directory.path)
        defer { site.stop() }
        let base = site.baseURL + "/"
        let paths = try ScannerBenchmark.pages(in: directory)
        let scanners = BuiltinScannerRegistry.standard.ids.sorted()
        var spec = ScanJobSpec(target: ScanTarget(urls: paths.map { base + $0 }), scanners: scanners.map { ScannerSelection(name: $0) })
        spec.allowPrivateTargets = true
        var samples: [(String, LifecycleSample)] = []
        for entry in servers {
            let sample = try await entry.server.measure(name: "full-set", spec: spec)
            samples.append((entry.name, sample))
            print(LifecycleSample.summary(
                of: [sample], label: "\(entry.name): job of \(scanners.joined(separator: ", ")) over \(paths.count) pages"))
        }
        let axe = try AxeSource.load()
        let one = try await NavigationFloor.seconds(base: base, paths: paths, axe: axe, tabs: 1, probe: HostReachability())
        let two = try await NavigationFloor.seconds(base: base, paths: paths, axe: axe, tabs: 2, probe: HostReachability())
        print(String(format: "floor (navigation + axe.run(), unreachable hosts failing fast): one renderer %.1f s, two %.1f s", one, two))
        for (name, sample) in samples {
            print(String(format: "  %@: the job is %.2f× the best floor (goal ≤ 1.25×)", name, sample.total / min(one, two)))
        }
    }

    /// A link-checker job crawling the site (same origin, up to 200 pages), create → Complete, on each server, and
    /// `linkchecker` over the same site, alternating for `linkRounds` rounds; the medians are compared.
    private func linkCheck(_ directory: String, servers: [(name: String, server: LifecycleServer)]) async throws {
        // The LinkChecker header lifts linkchecker's limit of 10 requests a second; the job has no such limit.
        let site = try FixtureSite(directory: directory, headers: ["LinkChecker": "benchmark"])
        defer { site.stop() }
        let base = site.baseURL + "/"
        // The scanner's defaults: 4 requests at once to one host (Python's http.server queues 5 connections; more
        // at once drop connection attempts, which are retried a second later).
        var spec = ScanJobSpec(target: ScanTarget(urls: [base]), scanners: [ScannerSelection(name: "link-checker")])
        spec.target.crawl = try JSONValue.object(["maxPages": 200, "sameOrigin": true]).decode(as: CrawlOptions.self)
        spec.allowPrivateTargets = true
        var jobs = Dictionary(uniqueKeysWithValues: servers.map { ($0.name, [LifecycleSample]()) })
        var reference: [Double] = []
        for round in 0..<max(1, linkRounds) {
            for entry in servers {
                jobs[entry.name, default: []].append(try await entry.server.measure(name: "links-\(round)", spec: spec))
            }
            reference.append(try LinkcheckerBaseline.run(base: base).seconds)
        }
        let linkchecker = LifecycleSample.percentile(reference, 0.5)
        for entry in servers {
            let samples = jobs[entry.name] ?? []
            let job = LifecycleSample.percentile(samples.map(\.total), 0.5)
            print(LifecycleSample.summary(of: samples, label: "\(entry.name): link-checker job crawling \(base)"))
            print(String(
                format: "  median of %d rounds: the job %.2f s, linkchecker (rate limit lifted, 16 threads) %.2f s; the job is %.1f× faster (goal ≥ 10×)",
                samples.count, job, linkchecker, linkchecker / job))
        }
    }
}

/// One job's times, in seconds: create → Complete as the client saw it, and the job's phases by its own clock.
struct LifecycleSample {
    var total: Double
    var phases: [(String, Double)]

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
    }

    /// `p50 … ms, p95 … ms` and the median of each phase.
    static func summary(of samples: [LifecycleSample], label: String) -> String {
        let totals = samples.map(\.total)
        var text = String(
            format: "%@: %d jobs, create → Complete p50 %.0f ms, p95 %.0f ms", label, samples.count,
            percentile(totals, 0.5) * 1000, percentile(totals, 0.95) * 1000)
        let names = samples.first?.phases.map(\.0) ?? []
        let parts = names.map { name in
            let values = samples.compactMap { sample in sample.phases.first { $0.0 == name }?.1 }
            return String(format: "%@ %.0f ms", name, percentile(values, 0.5) * 1000)
        }
        if !parts.isEmpty { text += "\n  median per step: " + parts.joined(separator: ", ") }
        return text
    }
}

/// A page on loopback for the jobs to scan.
struct LifecycleSite {
    let site: FixtureSite
    let directory: URL
    var url: String { site.baseURL + "/" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-lifecycle-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("<!doctype html><html lang=en><title>Lifecycle</title><h1>One page</h1></html>".utf8)
            .write(to: directory.appendingPathComponent("index.html"))
        site = try FixtureSite(directory: directory.path)
    }

    func stop() {
        site.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// `stageflow up` on a fresh data directory, and a client with its admin token.
final class LifecycleServer: @unchecked Sendable {
    let binary: String
    let process: BackgroundProcess
    let data: URL
    let client: StageflowClient

    init(binary: String) async throws {
        self.binary = binary
        data = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-lifecycle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        process = try BackgroundProcess(
            binary, ["up", "--data-dir", data.path, "--listen", "127.0.0.1:0", "--allow-private-targets", "--job-rate-limit", "0"])
        guard process.output.wait(for: "serving at ", seconds: 60),
            let line = process.output.text.split(separator: "\n").first(where: { $0.contains("serving at ") }),
            let start = line.range(of: "http"),
            let url = URL(string: String(line[start.lowerBound...].prefix { !$0.isWhitespace }))
        else {
            _ = process.stop()
            throw BenchmarkError("\(binary) up did not report its URL: \(process.errors.text.suffix(2000))")
        }
        let token = try String(contentsOf: data.appendingPathComponent("admin-token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        client = StageflowClient(server: url, token: token)
        let client = client
        let registered = await waitUntilAsync(seconds: 60) {
            (try? await client.get(.scanner, name: "security-headers", namespace: "")) != nil
        }
        guard registered else { throw BenchmarkError("\(binary) up registered no security-headers scanner") }
    }

    /// A one-page security-headers job of `site`, measured.
    func measure(name: String, site: String) async throws -> LifecycleSample {
        var spec = ScanJobSpec(target: ScanTarget(urls: [site]), scanners: [ScannerSelection(name: "security-headers")])
        spec.allowPrivateTargets = true
        return try await measure(name: name, spec: spec)
    }

    /// Creates a job and waits, on a watch opened before it, for its Complete condition.
    func measure(name: String, spec: ScanJobSpec) async throws -> LifecycleSample {
        let revision = try await client.list(.scanJob, namespace: Names.defaultNamespace).metadata.resourceVersion
        var options = ListOptions()
        options.resourceVersion = revision
        options.fieldSelector = try FieldSelector(parsing: "metadata.name=\(name)")
        let events = try await client.watch(.scanJob, namespace: Names.defaultNamespace, options: options)
        let started = Date()
        _ = try await client.create(ScanJob(metadata: ObjectMeta(name: name, namespace: Names.defaultNamespace), spec: spec))
        for try await event in events {
            let job = try event.object.decode(as: ScanJob.self)
            guard let phase = job.status?.phase, phase.isFinished else { continue }
            let total = Date().timeIntervalSince(started)
            guard phase == .done else { throw BenchmarkError("job \(name) ended \(phase.rawValue): \(String(describing: job.status))") }
            return LifecycleSample(total: total, phases: Self.steps(job, created: started))
        }
        throw BenchmarkError("the watch of job \(name) ended before it finished")
    }

    /// Time from the create to the first phase, then between the job's recorded phase transitions.
    static func steps(_ job: ScanJob, created: Date) -> [(String, Double)] {
        var previous = ("create", created)
        var steps: [(String, Double)] = []
        for transition in job.status?.phaseTransitions ?? [] {
            guard let time = LifecycleServer.instant(transition.time) else { continue }
            steps.append(("\(previous.0)→\(transition.phase.rawValue)", time.timeIntervalSince(previous.1)))
            previous = (transition.phase.rawValue, time)
        }
        return steps
    }

    static func instant(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    func stop() {
        _ = process.stop()
        try? FileManager.default.removeItem(at: data)
    }
}
