import Metrics
import Prometheus

/// The server's metrics, recorded through swift-metrics into a Prometheus registry the server owns (so many
/// servers in one process, as in tests, never touch the global `MetricsSystem`), and rendered for `/metrics`.
struct APIMetrics: Sendable {
    /// The registry `/metrics` renders.
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
    }

    /// One answered request: its kube verb (`GET`, `LIST`, `WATCH`, `CREATE`, `APPLY`, …), resource and code.
    func requestCompleted(verb: String, resource: String, code: Int, duration: Duration) {
        Counter(
            label: "apiserver_request_total",
            dimensions: [("verb", verb), ("resource", resource), ("code", String(code))], factory: factory
        ).increment()
        Timer(
            label: "apiserver_request_duration_seconds", dimensions: [("verb", verb), ("resource", resource)],
            factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// A store call failed because the database is away.
    func storeError(resource: String) {
        Counter(label: "apiserver_storage_errors_total", dimensions: [("resource", resource)], factory: factory).increment()
    }

    /// A watch began streaming.
    func watchStarted(resource: String) {
        Meter(label: "apiserver_registered_watchers", dimensions: [("resource", resource)], factory: factory).increment()
    }

    /// A watch ended.
    func watchEnded(resource: String) {
        Meter(label: "apiserver_registered_watchers", dimensions: [("resource", resource)], factory: factory).decrement()
    }

    /// A watch event was written.
    func watchEventSent(resource: String) {
        Counter(label: "apiserver_watch_events_total", dimensions: [("resource", resource)], factory: factory).increment()
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> String {
        registry.emitToString()
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
