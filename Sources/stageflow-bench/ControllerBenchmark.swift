import ArgumentParser
import Foundation
import Logging
import Metrics
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowObjectStore
import StageflowRuntime
import StageflowStore
import StageflowThrowaway

/// `stageflow-bench controller`: ScanJobs reconciled to Done through a runtime whose containers finish at once
/// (the controller's own cost), a no-op resync against one LIST, and, with `--podman`, apply → container running
/// against `podman pod create && podman run` of the same container.
struct ControllerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller", abstract: "Measure the ScanJob controller on SQLite with a no-op runtime.")

    @Option(help: "ScanJobs reconciled to Done.") var jobs = 10_000
    @Option(help: "Reconcile workers.") var workers = 4
    @Option(help: "Objects in the resync measurement.") var resyncObjects = 1_000
    @Flag(help: "Also measure apply → running container on Podman.") var podman = false
    @Option(help: "Podman rounds (each: ours and the CLI baseline).") var podmanRounds = 5
    @Option(
        help: "Another build's stageflow-bench (an earlier controller runtime) to run as the baseline, as a child process between our rounds.")
    var baselineBench: String?
    @Option(help: "Rounds of the ScanJob measurement (ours, then the baseline's); medians are compared.") var rounds = 1

    func run() async throws {
        let metrics = RecordingMetrics()
        MetricsSystem.bootstrap(metrics)
        var lines: [String] = []
        var figures: [String: Double] = [:]

        var ours: [Throughput] = []
        var theirs: [(jobsPerSecond: Double, p99Ms: Double)] = []
        for _ in 0..<max(1, rounds) {
            ours.append(try await Self.reconcileToDone(jobs: jobs, workers: workers, metrics: metrics))
            if let baselineBench { theirs.append(try Self.baseline(baselineBench, jobs: jobs, workers: workers)) }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let throughput = ours.sorted { $0.jobsPerSecond < $1.jobsPerSecond }[ours.count / 2]
        figures["jobsPerSecond"] = throughput.jobsPerSecond
        figures["queueLatencyP99Ms"] = median(ours.map(\.queueLatency.p99Ms))
        lines.append(String(format: "%d ScanJobs to Done: %.1f s, %.0f jobs/s, queue latency p50 %.2f ms p99 %.2f ms, %d reconciles",
            jobs, throughput.seconds, throughput.jobsPerSecond, throughput.queueLatency.p50Ms, throughput.queueLatency.p99Ms, throughput.reconciles))
        if !theirs.isEmpty {
            let baseJobs = median(theirs.map(\.jobsPerSecond))
            let baseP99 = median(theirs.map(\.p99Ms))
            figures["baselineJobsPerSecond"] = baseJobs
            figures["baselineQueueLatencyP99Ms"] = baseP99
            lines.append(String(format: "medians of %d rounds: ours %.0f jobs/s, p99 %.2f ms; baseline %.0f jobs/s, p99 %.2f ms; throughput ratio %.2f, p99 ratio %.2f",
                ours.count, median(ours.map(\.jobsPerSecond)), median(ours.map(\.queueLatency.p99Ms)), baseJobs, baseP99,
                median(ours.map(\.jobsPerSecond)) / baseJobs, median(ours.map(\.queueLatency.p99Ms)) / baseP99))
        }

        let resync = try await Self.resyncCost(objects: resyncObjects, workers: workers, metrics: metrics)
        figures["resyncApiCalls"] = Double(resync.apiCalls)
        figures["resyncOverListRatio"] = resync.seconds / resync.listSeconds
        lines.append(String(format: "no-op resync of %d objects: %.1f ms, %d API calls; one LIST of them: %.1f ms; ratio %.2f",
            resyncObjects, resync.seconds * 1000, resync.apiCalls, resync.listSeconds * 1000, resync.seconds / resync.listSeconds))

        if podman {
            let comparison = try await PodmanComparison(rounds: podmanRounds).run()
            figures["podmanOursMs"] = comparison.oursMs
            figures["podmanCliMs"] = comparison.cliMs
            figures["podmanRatio"] = comparison.oursMs / comparison.cliMs
            lines.append(String(format: "apply → scanner container running on Podman: median %.0f ms; podman pod create && podman run: median %.0f ms; ratio %.2f",
                comparison.oursMs, comparison.cliMs, comparison.oursMs / comparison.cliMs))
        }
        for line in lines { print(line) }
        let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// One round of another build's benchmark: its jobs/s and queue latency p99, from the figures it prints last.
    static func baseline(_ bench: String, jobs: Int, workers: Int) throws -> (jobsPerSecond: Double, p99Ms: Double) {
        let result = try StageflowThrowaway.run(bench, ["controller", "--jobs", String(jobs), "--workers", String(workers), "--resync-objects", "10"])
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last,
            let figures = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double],
            let perSecond = figures["jobsPerSecond"], let p99 = figures["queueLatencyP99Ms"]
        else { throw BenchmarkError("the baseline benchmark failed: \(result)") }
        return (perSecond, p99)
    }

    struct Throughput {
        var seconds: Double
        var jobsPerSecond: Double
        var queueLatency: LatencySummary
        var reconciles: Int
    }

    static func makeStore() async throws -> ResourceStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = ResourceStore(
            backend: try SQLiteBackend(path: directory.appendingPathComponent("store.db").path),
            configuration: .init(compactionInterval: nil))
        try await store.start()
        _ = try await store.create(.scanner, try JSONValue(encoding: Scanner(
            metadata: ObjectMeta(name: "noop"), spec: ScannerSpec(id: "noop", version: "1.0.0", entry: ScannerEntry(builtin: "noop")))))
        return store
    }

    static func createJobs(_ count: Int, in store: ResourceStore) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for index in stride(from: worker, to: count, by: 16) {
                        let job = ScanJob(
                            metadata: ObjectMeta(name: "job-\(index)", namespace: "bench"),
                            spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/\(index)"]), scanners: [ScannerSelection(name: "noop")]))
                        _ = try await store.create(.scanJob, try JSONValue(encoding: job))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The controller over the embedded defaults' object store (a directory) and a runtime whose containers
    /// finish at once.
    static func makeController(store: ResourceStore, client: any ResourceClient, workers: Int) throws -> RunningController {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-objects-\(UUID().uuidString)")
        let objects = try FilesystemObjectStore(root: directory)
        var configuration = ScanJobReconcilerConfiguration(scannerCommand: ["/bin/true"], objectStoreLocation: "memory")
        configuration.pollInterval = .milliseconds(50)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let informers = InformerSet(client: client, logger: logger)
        let controller = ScanJobController(
            informers: informers, client: client, runtime: InstantRuntime(objects: objects), objects: objects,
            configuration: configuration, workers: workers, logger: logger)
        return RunningController(controller: controller, informers: informers, logger: logger)
    }

    /// A ScanJob controller and the informers it runs on, as one leadership term would run them.
    struct RunningController {
        var controller: ScanJobController
        var informers: InformerSet
        var logger: Logger

        var jobs: Informer { controller.jobs }

        func run() async {
            await ControllerManager.run([controller], on: informers, logger: logger)
        }
    }

    /// Waits until `count` jobs are Done, counting from the watch.
    static func waitDone(_ count: Int, store: ResourceStore, from revision: Int64) async throws {
        var done: Set<String> = []
        for try await event in try await store.watch(.scanJob, namespace: nil, from: revision) {
            if event.object[path: ["status", "phase"]] == "Done", let name = event.object[path: ["metadata", "name"]]?.stringValue {
                done.insert(name)
                if done.count >= count { return }
            }
        }
    }

    static func reconcileToDone(jobs: Int, workers: Int, metrics: RecordingMetrics) async throws -> Throughput {
        let store = try await makeStore()
        try await createJobs(jobs, in: store)
        metrics.reset()
        let revision = try await store.currentRevision()
        let controller = try makeController(store: store, client: StoreResourceClient(store: store), workers: workers)
        let start = ContinuousClock.now
        let running = Task { await controller.run() }
        try await waitDone(jobs, store: store, from: revision)
        let seconds = start.duration(to: .now).seconds
        running.cancel()
        await store.shutdown()
        return Throughput(
            seconds: seconds, jobsPerSecond: Double(jobs) / seconds,
            queueLatency: LatencySummary(nanoseconds: metrics.samples("stageflow_workqueue_queue_duration_seconds")),
            reconciles: metrics.count("stageflow_reconcile_duration_seconds"))
    }

    struct ResyncCost {
        var seconds: Double
        var apiCalls: Int
        var listSeconds: Double
    }

    static func resyncCost(objects: Int, workers: Int, metrics: RecordingMetrics) async throws -> ResyncCost {
        let store = try await makeStore()
        try await createJobs(objects, in: store)
        let revision = try await store.currentRevision()
        let client = CountingClient(StoreResourceClient(store: store))
        let controller = try makeController(store: store, client: client, workers: workers)
        let running = Task { await controller.run() }
        try await waitDone(objects, store: store, from: revision)
        // Let the last status writes come back through the informer before measuring.
        try await Task.sleep(for: .seconds(2))
        let callsBefore = client.total
        let reconcilesBefore = metrics.count("stageflow_reconcile_duration_seconds")
        let start = ContinuousClock.now
        controller.jobs.resync()
        while metrics.count("stageflow_reconcile_duration_seconds") < reconcilesBefore + objects {
            try await Task.sleep(for: .milliseconds(1))
        }
        let seconds = start.duration(to: .now).seconds
        let calls = client.total - callsBefore
        var listTimes: [Double] = []
        for _ in 0..<5 {
            let listStart = ContinuousClock.now
            _ = try await StoreResourceClient(store: store).list(.scanJob, namespace: nil)
            listTimes.append(listStart.duration(to: .now).seconds)
        }
        running.cancel()
        await store.shutdown()
        return ResyncCost(seconds: seconds, apiCalls: calls, listSeconds: listTimes.sorted()[listTimes.count / 2])
    }
}
