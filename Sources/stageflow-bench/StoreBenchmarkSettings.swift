/// What `stageflow-bench store` measures, resolved from its flags.
struct StoreBenchmarkSettings: Sendable {
    /// A database the store runs on.
    enum Backend: String, Sendable, Codable {
        case sqlite
        case postgres
    }

    /// Length of each phase.
    var duration: Duration
    /// Writers in the fixed-concurrency phases.
    var concurrency: Int
    /// Watches in the fixed-rate phase.
    var watchers: Int
    /// Creates per second offered in the fixed-rate phase.
    var rate: Double
    /// Backends measured, in order.
    var backends: [Backend]
    /// A PostgreSQL database to use instead of a throwaway server.
    var databaseURL: String?
    /// Query connections of the PostgreSQL backend and baseline.
    var poolSize: Int
    /// Whether the throwaway PostgreSQL server keeps fsync and synchronous commit on.
    var durable: Bool
}
