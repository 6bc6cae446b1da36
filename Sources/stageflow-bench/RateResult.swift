/// Creates at a fixed offered rate with watchers following every change.
struct RateResult: Codable, Sendable {
    /// Creates per second offered.
    var offeredPerSecond: Double
    /// Creates completed.
    var creates: Int
    /// Creates per second completed.
    var achievedPerSecond: Double
    /// From each create's scheduled start to its return.
    var createLatency: LatencySummary
    /// Concurrent watches.
    var watchers: Int
    /// Events seen, summed over watchers.
    var deliveries: Int
    /// Events that should have been seen: creates × watchers.
    var expectedDeliveries: Int
    /// From the create returning to a watcher seeing its event (0 when the event arrived first).
    var watchLatencyFromReturn: LatencySummary
    /// From the create being sent to a watcher seeing its event.
    var watchLatencyFromSend: LatencySummary
}
