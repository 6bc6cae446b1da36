import Foundation

/// A plain table that takes single-row inserts: the baseline the store's write path is compared against.
protocol RawInsertTarget: Sendable {
    /// Creates the table.
    func prepare() async throws
    /// Inserts one row in its own transaction.
    func insert(key: String, value: Data) async throws
    /// Drops the table and releases connections.
    func close() async
}

extension RawInsertTarget {
    /// `concurrency` tasks inserting rows back to back for `duration`.
    func measure(concurrency: Int, duration: Duration, prefix: String) async throws -> ThroughputResult {
        let value = BenchmarkObjects.row(name: "\(prefix)-template")
        let started = ContinuousClock.now
        let deadline = started.advanced(by: duration)
        let samples = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var samples: [Int64] = []
                    while ContinuousClock.now < deadline {
                        let sent = BenchmarkObjects.monotonicNanoseconds()
                        try await insert(key: "\(prefix)-\(worker)-\(samples.count)", value: value)
                        samples.append(BenchmarkObjects.monotonicNanoseconds() - sent)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: []) { $0.append(contentsOf: $1) }
        }
        return ThroughputResult(operations: samples.count, elapsed: ContinuousClock.now - started, latencies: samples)
    }
}
