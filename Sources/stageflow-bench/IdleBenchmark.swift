import ArgumentParser
import Foundation
import StageflowAPI
import StageflowStore
import StageflowThrowaway

/// `stageflow-bench idle`: a real `stageflow up` left alone. Its CPU time over a window with no jobs and with
/// `--jobs` finished ones (seeded into its database before it starts), then its threads (the kernel's tasks),
/// open descriptors and resident memory sampled over `--watch-minutes` of idling, to show they do not grow.
struct IdleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle", abstract: "Measure an idle stageflow up: CPU with finished jobs, and no growth over time.")

    @Option(help: "Finished ScanJobs seeded into the database.") var jobs = 1_000
    @Option(help: "Seconds of CPU measurement (after the process has settled).") var seconds = 60
    @Option(help: "Seconds to let the process settle before measuring.") var settle = 20
    @Option(help: "Minutes of idling over which threads, descriptors and memory are sampled.") var watchMinutes = 10
    @Option(help: "Seconds between samples.") var sampleSeconds = 60
    @Option(help: "The stageflow executable; by default the one beside this benchmark.") var stageflow: String?

    func run() async throws {
        let binary = stageflow ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stageflow").path
        let empty = try await Self.measure(binary: binary, jobs: 0, seconds: seconds, settle: settle, watch: nil)
        let loaded = try await Self.measure(
            binary: binary, jobs: jobs, seconds: seconds, settle: settle, watch: (minutes: watchMinutes, every: sampleSeconds))
        print(String(format: "idle CPU of stageflow up over %d s: %.3f%% of one core with no jobs; %.3f%% with %d finished jobs (goal under 1%%)",
            seconds, empty.cpuPercent, loaded.cpuPercent, jobs))
        print("idle samples with \(jobs) finished jobs (minute, threads, descriptors, RSS MiB, CPU % since the last sample):")
        for sample in loaded.samples {
            print(String(format: "  %5.1f  %3d  %3d  %6.1f  %.3f", sample.minute, sample.threads, sample.descriptors, sample.rssMiB, sample.cpuPercent))
        }
        let figures: [String: Double] = [
            "idleCpuPercentEmpty": empty.cpuPercent, "idleCpuPercentLoaded": loaded.cpuPercent,
            "threadsFirst": Double(loaded.samples.first?.threads ?? 0), "threadsLast": Double(loaded.samples.last?.threads ?? 0),
            "rssMiBFirst": loaded.samples.first?.rssMiB ?? 0, "rssMiBLast": loaded.samples.last?.rssMiB ?? 0,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]), as: UTF8.self))
    }

    struct Sample {
        var minute: Double
        var threads: Int
        var descriptors: Int
        var rssMiB: Double
        var cpuPercent: Double
    }

    struct Measurement {
        var cpuPercent: Double
        var samples: [Sample]
    }

    /// Seeds a data directory, starts `stageflow up` on it, and measures.
    static func measure(
        binary: String, jobs: Int, seconds: Int, settle: Int, watch: (minutes: Int, every: Int)?
    ) async throws -> Measurement {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-idle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await seed(directory, jobs: jobs)
        let process = try BackgroundProcess(binary, ["up", "--data-dir", directory.path, "--listen", "127.0.0.1:0", "--log-level", "warning"])
        defer { _ = process.stop(grace: 10) }
        guard process.output.wait(for: "serving at ", seconds: 120) else {
            throw BenchmarkError("stageflow up did not start: \(process.errors.text.suffix(2000))")
        }
        let pid = process.process.processIdentifier
        try await Task.sleep(for: .seconds(settle))
        let start = (cpu: try cpuSeconds(pid), wall: ContinuousClock.now)
        try await Task.sleep(for: .seconds(seconds))
        let cpu = try cpuSeconds(pid) - start.cpu
        let percent = cpu / start.wall.duration(to: .now).seconds * 100
        var samples: [Sample] = []
        if let watch {
            let began = ContinuousClock.now
            var last = (cpu: try cpuSeconds(pid), wall: ContinuousClock.now)
            samples.append(try sample(pid, at: 0, cpuPercent: percent))
            for _ in 0..<max(1, watch.minutes * 60 / watch.every) {
                try await Task.sleep(for: .seconds(watch.every))
                let now = (cpu: try cpuSeconds(pid), wall: ContinuousClock.now)
                let window = (now.cpu - last.cpu) / last.wall.duration(to: now.wall).seconds * 100
                samples.append(try sample(pid, at: began.duration(to: now.wall).seconds / 60, cpuPercent: window))
                last = now
            }
        }
        return Measurement(cpuPercent: percent, samples: samples)
    }

    /// `jobs` ScanJobs that finished (Done, with the controller's finalizer), written straight into the database
    /// `stageflow up` will open.
    static func seed(_ directory: URL, jobs: Int) async throws {
        let store = ResourceStore(
            backend: try SQLiteBackend(path: directory.appendingPathComponent("stageflow.db").path),
            configuration: .init(compactionInterval: nil))
        try await store.start()
        for index in 0..<jobs {
            var metadata = ObjectMeta(name: "finished-\(index)", namespace: "default")
            metadata.finalizers = ["stageflow.dev/cleanup"]
            let created = try await store.create(.scanJob, try JSONValue(encoding: ScanJob(
                metadata: metadata,
                spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/\(index)"]), scanners: [ScannerSelection(name: "security-headers")]))))
            var done = created
            var status = ScanJobStatus()
            status.phase = .done
            status.observedGeneration = 1
            status.completionTime = Timestamp.now()
            done["status"] = try JSONValue(encoding: status)
            _ = try await store.update(.scanJob, done, subresource: .status)
        }
        await store.shutdown()
    }

    /// User plus system CPU time of a process, in seconds.
    static func cpuSeconds(_ pid: pid_t) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name (which may hold spaces) start after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { throw BenchmarkError("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchmarkError("unreadable /proc/\(pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func sample(_ pid: pid_t, at minute: Double, cpuPercent: Double) throws -> Sample {
        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").count
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let rssKiB = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }?
            .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) } ?? 0
        return Sample(minute: minute, threads: threads, descriptors: descriptors, rssMiB: rssKiB / 1024, cpuPercent: cpuPercent)
    }
}
