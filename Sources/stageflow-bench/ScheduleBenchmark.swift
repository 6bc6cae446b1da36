import ArgumentParser
import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore

/// `stageflow-bench schedules`: many ScanSchedules firing on the same minute, on SQLite through the in-process
/// store client — how long after the minute half, 99 % and all of the runs exist, and the CPU the
/// process spends between two minutes, against the CPU of the same process with no schedules (the baseline,
/// measured first in the same run).
struct ScheduleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules", abstract: "Measure ScanSchedules firing on the same minute, and idle CPU between minutes.")

    @Option(help: "Schedules, all `* * * * *`.") var schedules = 1_000
    @Option(help: "Reconcile workers of the schedule controller.") var workers = 2
    @Option(help: "Seconds of CPU measured between two minutes.") var idleSeconds = 20

    func run() async throws {
        var logger = Logger(label: "stageflow.bench.schedules")
        logger.logLevel = .error
        let store = try await ControllerBenchmark.makeStore()
        let client = StoreResourceClient(store: store)
        let informers = InformerSet(client: client, logger: logger)
        let controller = ScanScheduleController(
            informers: informers, client: client, events: LoggingScheduleEventRecorder(logger: logger), workers: workers, logger: logger)
        let running = Task {
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await informers.run() }
                group.addTask { try await controller.run() }
                try? await group.waitForAll()
            }
        }
        defer { running.cancel() }

        // The baseline: the same process, the controller running, no schedules.
        let baselineCPU = try await Self.cpuPercent(over: idleSeconds)

        let template = ScanJobTemplate(
            spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: [ScannerSelection(name: "noop")]))
        for index in 0..<schedules {
            let schedule = ScanSchedule(
                metadata: ObjectMeta(name: "s-\(index)", namespace: "bench"),
                spec: ScanScheduleSpec(schedule: "* * * * *", jobTemplate: template))
            _ = try await store.create(.scanSchedule, try JSONValue(encoding: schedule))
        }
        // The first whole minute after every schedule exists and was seen once.
        try await Task.sleep(for: .seconds(2))
        let minute = (Date().timeIntervalSince1970 / 60).rounded(.up) * 60
        print(String(format: "%d schedules created; waiting for the minute (%.0f s)", schedules, minute - Date().timeIntervalSince1970))
        // Creation timestamps have whole seconds, so lateness is observed instead: the store is listed every
        // 250 ms and the first time each share of the runs exists is noted (resolution: one listing).
        var reached: [Double: Double] = [:]
        let shares = [0.5, 0.99, 1.0]
        let deadline = Date(timeIntervalSince1970: minute + 120)
        while Date() < deadline, reached.count < shares.count {
            try await Task.sleep(for: .milliseconds(250))
            let jobs = try await store.list(.scanJob, namespace: "bench").items
            let due = jobs.filter {
                $0[path: ["metadata", "annotations", ScheduledJobBuilder.scheduledTimeAnnotation]]?.stringValue.flatMap(Timestamp.date)?
                    .timeIntervalSince1970 == minute
            }.count
            let now = Date().timeIntervalSince1970 - minute
            for share in shares where reached[share] == nil && Double(due) >= share * Double(schedules) { reached[share] = now }
        }
        guard let last = reached[1.0] else { throw BenchmarkError("not every run of the minute was created within two minutes") }
        // Between minutes: from 5 s after the last run was created, while nothing is due.
        try await Task.sleep(for: .seconds(5))
        let secondsLeft = minute + 60 - Date().timeIntervalSince1970 - 3
        let idleCPU = try await Self.cpuPercent(over: max(1, min(idleSeconds, Int(secondsLeft))))
        print(String(format: "%d schedules on one minute: half of the runs existed %.2f s after it, 99 %% after %.2f s, all after %.2f s",
            schedules, reached[0.5] ?? 0, reached[0.99] ?? 0, last))
        print(String(format: "CPU between minutes: %.2f %% of one core with %d schedules; %.2f %% with none (baseline); ratio %.2f",
            idleCPU, schedules, baselineCPU, baselineCPU > 0 ? idleCPU / baselineCPU : 0))
        await store.shutdown()
    }

    /// This process's CPU time over `seconds` of wall time, in percent of one core.
    static func cpuPercent(over seconds: Int) async throws -> Double {
        func cpu() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let start = cpu()
        let began = Date()
        try await Task.sleep(for: .seconds(seconds))
        return (cpu() - start) / Date().timeIntervalSince(began) * 100
    }
}
