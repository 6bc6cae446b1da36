import Foundation

/// The outcome of `stageflow-bench store`: a table for people and one JSON line for tools.
struct StoreBenchmarkReport: Codable, Sendable {
    /// Seconds per phase.
    var secondsPerPhase: Double
    /// Writers in the fixed-concurrency phases.
    var concurrency: Int
    /// Watches in the fixed-rate phase.
    var watchers: Int
    /// Creates per second offered in the fixed-rate phase.
    var rate: Double
    /// PostgreSQL query connections.
    var poolSize: Int
    /// Which PostgreSQL server was measured, when one was.
    var postgresServer: String?
    /// Figures per backend.
    var backends: [BackendReport]
    /// The targets for PostgreSQL, when it was measured.
    var goals: Goals?

    /// Targets the PostgreSQL backend is held to.
    struct Goals: Codable, Sendable {
        /// p99 create latency at the offered rate with watchers, in milliseconds.
        var p99CreateAtRateMs: Double
        /// Its bound.
        var p99CreateAtRateGoalMs: Double
        /// Create throughput over raw INSERT throughput at the same concurrency.
        var throughputVsRawInsert: Double
        /// Its bound.
        var throughputVsRawInsertGoal: Double
        /// Whether both hold.
        var met: Bool
    }

    init(settings: StoreBenchmarkSettings, postgresServer: String?, backends: [BackendReport]) {
        secondsPerPhase = settings.duration.seconds
        concurrency = settings.concurrency
        watchers = settings.watchers
        rate = settings.rate
        poolSize = settings.poolSize
        self.postgresServer = postgresServer
        self.backends = backends
        goals = backends.first { $0.backend == .postgres }.map { report in
            let p99 = report.createsAtRate.createLatency.p99Ms
            let ratio = report.createsVsRawAtConcurrency
            return Goals(
                p99CreateAtRateMs: p99, p99CreateAtRateGoalMs: 50, throughputVsRawInsert: ratio, throughputVsRawInsertGoal: 0.5,
                met: p99 <= 50 && ratio >= 0.5)
        }
    }

    /// The figures as an aligned text table, with the goals below it.
    func table() -> String {
        var rows: [[String]] = [["backend", "phase", "ops", "ops/s", "p50 ms", "p99 ms", "max ms"]]
        func add(_ backend: String, _ phase: String, _ result: ThroughputResult) {
            rows.append([
                backend, phase, String(result.operations), format(result.perSecond, 1), format(result.latency.p50Ms, 2),
                format(result.latency.p99Ms, 2), format(result.latency.maxMs, 2),
            ])
        }
        for report in backends {
            let name = report.backend.rawValue
            let atRate = report.createsAtRate
            add(name, "create, \(concurrency) concurrent", report.createsAtConcurrency)
            for (label, result) in [("no watchers", report.createsAtRateWithoutWatchers), ("\(watchers) watchers", atRate)] {
                rows.append([
                    name, "create at \(format(rate, 0))/s, \(label)", String(result.creates), format(result.achievedPerSecond, 1),
                    format(result.createLatency.p50Ms, 2), format(result.createLatency.p99Ms, 2), format(result.createLatency.maxMs, 2),
                ])
            }
            for (label, latency) in [("after create returned", atRate.watchLatencyFromReturn), ("after create sent", atRate.watchLatencyFromSend)] {
                rows.append([
                    name, "  watch delivery \(label)", "\(atRate.deliveries)/\(atRate.expectedDeliveries)", "",
                    format(latency.p50Ms, 2), format(latency.p99Ms, 2), format(latency.maxMs, 2),
                ])
            }
            add(name, "backend write, \(concurrency) concurrent", report.backendWritesAtConcurrency)
            add(name, "raw INSERT, sequential", report.rawInsertSequential)
            add(name, "raw INSERT, \(concurrency) concurrent", report.rawInsertAtConcurrency)
            rows.append([name, "create / raw INSERT throughput", "", "\(format(report.createsVsRawAtConcurrency, 2))x", "", "", ""])
            rows.append([
                name, "backend write / raw INSERT throughput", "", "\(format(report.backendWritesVsRawAtConcurrency, 2))x", "", "", "",
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                column < 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        if let server = postgresServer { lines.append("PostgreSQL server: \(server)") }
        if let goals {
            lines.append(
                "PostgreSQL goals: p99 create at \(format(rate, 0))/s with \(watchers) watchers \(format(goals.p99CreateAtRateMs, 2)) ms "
                    + "(goal <= 50 ms), create throughput \(format(goals.throughputVsRawInsert, 2))x raw INSERT (goal >= 0.5x): "
                    + (goals.met ? "met" : "NOT met"))
        }
        return lines.joined(separator: "\n")
    }

    /// Every figure as one line of JSON.
    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
