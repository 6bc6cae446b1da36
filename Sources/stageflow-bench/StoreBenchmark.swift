import ArgumentParser
import Foundation

/// `stageflow-bench store`: the resource store's write path and watch fan-out over SQLite and PostgreSQL, against
/// a raw single-row INSERT loop on the same database.
struct StoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Measure the resource store over SQLite and PostgreSQL.",
        discussion: """
            Per backend: creates at a fixed concurrency (throughput, p50/p99 latency); creates at a fixed offered \
            rate while many watches follow (create p99, watch delivery p99); and the baseline, single-row INSERTs \
            into a plain table of the same database through the same driver, sequential and at the same \
            concurrency. Prints a table, then one JSON line with every figure.

            Without --database-url a throwaway PostgreSQL server is started (initdb/pg_ctl from \
            /usr/lib/postgresql/*/bin) and removed afterwards. A given URL should name a scratch database: the \
            benchmark creates ScanJobs there and a table it drops at the end.
            """
    )

    @Option(help: "Seconds each phase runs.")
    var seconds: Int = 10

    @Option(help: "Concurrent writers in the fixed-concurrency phases.")
    var concurrency: Int = 16

    @Option(help: "Concurrent watches in the fixed-rate phase.")
    var watchers: Int = 100

    @Option(help: "Creates per second offered in the fixed-rate phase.")
    var rate: Double = 200

    @Option(help: "Backends to measure, comma separated: sqlite, postgres.")
    var backends: String = "sqlite,postgres"

    @Option(help: "PostgreSQL URL of a scratch database (postgres://user:pass@host:port/db?host=/socket/dir).")
    var databaseURL: String?

    @Option(help: "Query connections of the PostgreSQL backend and of the raw INSERT baseline.")
    var poolSize: Int = 4

    @Flag(help: "Run the throwaway PostgreSQL server without fsync and synchronous commit.")
    var noFsync = false

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, got \(seconds)") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive, got \(concurrency)") }
        guard watchers >= 0 else { throw ValidationError("--watchers must not be negative, got \(watchers)") }
        guard rate > 0 else { throw ValidationError("--rate must be positive, got \(rate)") }
        guard poolSize > 0 else { throw ValidationError("--pool-size must be positive, got \(poolSize)") }
        _ = try selectedBackends()
    }

    func run() async throws {
        let settings = StoreBenchmarkSettings(
            duration: .seconds(seconds), concurrency: concurrency, watchers: watchers, rate: rate,
            backends: try selectedBackends(), databaseURL: databaseURL, poolSize: poolSize, durable: !noFsync)
        let report = try await StoreBenchmarkRunner(settings: settings).run()
        print(report.table())
        print(report.jsonLine())
    }

    private func selectedBackends() throws -> [StoreBenchmarkSettings.Backend] {
        try backends.split(separator: ",").map { name in
            guard let backend = StoreBenchmarkSettings.Backend(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--backends: unknown backend \"\(name)\"; use sqlite, postgres")
            }
            return backend
        }
    }
}
