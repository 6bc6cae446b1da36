/// Percentiles of a set of latencies, in milliseconds.
struct LatencySummary: Codable, Sendable {
    /// Samples summarised.
    var count: Int
    /// Median.
    var p50Ms: Double
    /// 99th percentile.
    var p99Ms: Double
    /// Largest sample.
    var maxMs: Double

    /// Summarises samples given in nanoseconds.
    init(nanoseconds samples: [Int64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
            return Double(sorted[max(index, 0)]) / 1_000_000
        }
        p50Ms = percentile(0.50)
        p99Ms = percentile(0.99)
        maxMs = Double(sorted.last ?? 0) / 1_000_000
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
