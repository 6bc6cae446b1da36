import ArgumentParser
import Foundation
import StageflowThrowaway

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `stageflow-bench apiservers`: one against two `stageflow apiserver` processes on the same PostgreSQL, in the
/// same run: ScanJob creates per second spread over the servers, and the latency from a write's acknowledgement
/// to its event on a watch of the first server (for two servers, half the writes go through the other one, so
/// their events cross processes through the database).
struct APIServerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apiservers",
        abstract: "Measure writes/s and watch latency with one and with two API servers on one PostgreSQL.",
        discussion: """
            Starts a throwaway PostgreSQL server (fsync on) and, per round, a fresh database with one and then two \
            API servers (the `stageflow` next to this executable, --job-rate-limit 0), alternating the order each \
            round. Each configuration creates --writes ScanJobs at --concurrency through its servers in turn while \
            a watch on the first server follows. Prints the medians over rounds and the two-server to one-server \
            ratio, then one JSON line.
            """
    )

    @Option(help: "ScanJobs created per configuration and round.")
    var writes: Int = 5000

    @Option(help: "Writes in flight at once.")
    var concurrency: Int = 32

    @Option(help: "Rounds; medians are reported.")
    var rounds: Int = 3

    func validate() throws {
        guard writes > 0, concurrency > 0, rounds > 0 else { throw ValidationError("--writes, --concurrency and --rounds must be positive") }
    }

    func run() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stageflow")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ValidationError("no stageflow next to this executable (\(executable.path)): swift build -c release --product stageflow")
        }
        let cluster = try await PostgresCluster.start(durable: true)
        defer { cluster.stop() }
        var results: [Int: [APIServerRound]] = [1: [], 2: []]
        for round in 0..<rounds {
            for servers in round % 2 == 0 ? [1, 2] : [2, 1] {
                let database = try await cluster.makeDatabase()
                let result = try await APIServerRound.measure(
                    executable: executable.path, databaseURL: database, servers: servers, writes: writes, concurrency: concurrency)
                print(
                    "round \(round + 1), \(servers) server(s): \(String(format: "%.0f", result.writesPerSecond)) writes/s, "
                        + "write p99 \(String(format: "%.1f", result.writeLatency.p99Ms)) ms, "
                        + "watch p99 \(String(format: "%.1f", result.watchLatency.p99Ms)) ms (\(result.watchLatency.count) events)")
                results[servers, default: []].append(result)
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let one = results[1] ?? []
        let two = results[2] ?? []
        let rate = (median(one.map(\.writesPerSecond)), median(two.map(\.writesPerSecond)))
        let watch = (median(one.map(\.watchLatency.p99Ms)), median(two.map(\.watchLatency.p99Ms)))
        print("")
        print("| API servers on one PostgreSQL | writes/s | write p99 | watch p99 (ack → event on server 1) |")
        print("|---|---|---|---|")
        print("| one | \(String(format: "%.0f", rate.0)) | \(String(format: "%.1f", median(one.map(\.writeLatency.p99Ms)))) ms | \(String(format: "%.1f", watch.0)) ms |")
        print("| two | \(String(format: "%.0f", rate.1)) | \(String(format: "%.1f", median(two.map(\.writeLatency.p99Ms)))) ms | \(String(format: "%.1f", watch.1)) ms |")
        print("two ÷ one: writes/s \(String(format: "%.2f", rate.1 / rate.0))×, watch p99 \(String(format: "%.2f", watch.1 / watch.0))×")
        let json: [String: Any] = [
            "writes": writes, "concurrency": concurrency, "rounds": rounds,
            "oneServer": ["writesPerSecond": rate.0, "watchP99Ms": watch.0],
            "twoServers": ["writesPerSecond": rate.1, "watchP99Ms": watch.1],
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
    }
}
