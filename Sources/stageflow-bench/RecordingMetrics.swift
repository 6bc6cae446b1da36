import CoreMetrics
import Foundation

/// A swift-metrics backend that keeps timer samples and counter totals in memory, so a benchmark can read
/// the controller's own instrumentation (queue latency, reconcile count).
final class RecordingMetrics: MetricsFactory, @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [String: [Int64]] = [:]

    func samples(_ label: String) -> [Int64] { lock.withLock { samples[label] ?? [] } }
    func count(_ label: String) -> Int { lock.withLock { samples[label]?.count ?? 0 } }
    func reset() { lock.withLock { samples = [:] } }

    fileprivate func record(_ label: String, _ value: Int64) {
        lock.withLock { samples[label, default: []].append(value) }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { Ignored() }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler { Ignored() }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { Ignored() }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { RecordingTimer(label: label, metrics: self) }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    private final class RecordingTimer: TimerHandler, @unchecked Sendable {
        let label: String
        let metrics: RecordingMetrics
        init(label: String, metrics: RecordingMetrics) {
            self.label = label
            self.metrics = metrics
        }
        func recordNanoseconds(_ duration: Int64) { metrics.record(label, duration) }
    }

    private final class Ignored: CounterHandler, FloatingPointCounterHandler, RecorderHandler, @unchecked Sendable {
        func increment(by: Int64) {}
        func increment(by: Double) {}
        func reset() {}
        func record(_ value: Int64) {}
        func record(_ value: Double) {}
    }
}
