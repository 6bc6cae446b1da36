import Metrics
import Prometheus

/// The process's metrics: swift-metrics is bootstrapped once into one Prometheus registry, which the API server's
/// `/metrics` renders, so the controllers' work-queue and reconcile metrics appear beside the API's.
enum ProcessMetrics {
    /// The registry every metric of this process records into.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
