/// Every figure measured on one backend.
struct BackendReport: Codable, Sendable {
    /// Which backend.
    var backend: StoreBenchmarkSettings.Backend
    /// `ResourceStore.create` at fixed concurrency.
    var createsAtConcurrency: ThroughputResult
    /// `ResourceStore.create` at a fixed rate, nobody watching: what the write path alone costs.
    var createsAtRateWithoutWatchers: RateResult
    /// `ResourceStore.create` at a fixed rate with watchers.
    var createsAtRate: RateResult
    /// `StorageBackend.write` creates at the same concurrency, without `ResourceStore`.
    var backendWritesAtConcurrency: ThroughputResult
    /// Single-row INSERTs, one at a time.
    var rawInsertSequential: ThroughputResult
    /// Single-row INSERTs at the creates' concurrency.
    var rawInsertAtConcurrency: ThroughputResult
    /// Create throughput over raw INSERT throughput at the same concurrency.
    var createsVsRawAtConcurrency: Double
    /// Create throughput (at concurrency) over sequential raw INSERT throughput.
    var createsVsRawSequential: Double
    /// Backend write throughput over raw INSERT throughput at the same concurrency.
    var backendWritesVsRawAtConcurrency: Double

    /// A report; the ratios are derived.
    init(
        backend: StoreBenchmarkSettings.Backend, createsAtConcurrency: ThroughputResult,
        createsAtRateWithoutWatchers: RateResult, createsAtRate: RateResult, backendWritesAtConcurrency: ThroughputResult,
        rawInsertSequential: ThroughputResult, rawInsertAtConcurrency: ThroughputResult
    ) {
        self.backend = backend
        self.createsAtConcurrency = createsAtConcurrency
        self.createsAtRateWithoutWatchers = createsAtRateWithoutWatchers
        self.createsAtRate = createsAtRate
        self.backendWritesAtConcurrency = backendWritesAtConcurrency
        self.rawInsertSequential = rawInsertSequential
        self.rawInsertAtConcurrency = rawInsertAtConcurrency
        createsVsRawAtConcurrency = createsAtConcurrency.perSecond / max(rawInsertAtConcurrency.perSecond, 1e-9)
        createsVsRawSequential = createsAtConcurrency.perSecond / max(rawInsertSequential.perSecond, 1e-9)
        backendWritesVsRawAtConcurrency = backendWritesAtConcurrency.perSecond / max(rawInsertAtConcurrency.perSecond, 1e-9)
    }
}
