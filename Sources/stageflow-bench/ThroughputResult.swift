/// Operations completed in a phase, their rate and latency.
struct ThroughputResult: Codable, Sendable {
    /// Operations completed.
    var operations: Int
    /// Length of the phase, in seconds.
    var seconds: Double
    /// Operations per second.
    var perSecond: Double
    /// Latency of one operation.
    var latency: LatencySummary

    /// Summarises `operations` done in `elapsed`, with per-operation latencies in nanoseconds.
    init(operations: Int, elapsed: Duration, latencies: [Int64]) {
        self.operations = operations
        seconds = elapsed.seconds
        perSecond = seconds > 0 ? Double(operations) / seconds : 0
        latency = LatencySummary(nanoseconds: latencies)
    }
}
