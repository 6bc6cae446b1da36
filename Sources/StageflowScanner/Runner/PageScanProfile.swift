import Foundation

/// Where the time of a page scan run goes: page loads, each scanner's work on the loaded pages, screenshots.
/// Summed over pages (so with several tabs the sum exceeds the wall-clock time); logged at the end of a run and
/// read by the scanner benchmark to see which part dominates.
final class PageScanProfile: @unchecked Sendable {
    private let lock = NSLock()
    private var totals: [String: Duration] = [:]
    private var order: [String] = []

    /// Runs `work` and adds its duration to `part`.
    func measure<T>(_ part: String, _ work: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { add(part, ContinuousClock.now - start) }
        return try await work()
    }

    private func add(_ part: String, _ duration: Duration) {
        lock.withLock {
            if totals[part] == nil { order.append(part) }
            totals[part, default: .zero] += duration
        }
    }

    /// `load 12.3 s, axe 40.1 s, seo 2.0 s, screenshot 5.5 s`, in the order the parts were first measured.
    var summary: String {
        lock.withLock {
            order.map { part in
                let seconds = Double(totals[part]!.components.seconds) + Double(totals[part]!.components.attoseconds) / 1e18
                return String(format: "%@ %.1f s", part, seconds)
            }.joined(separator: ", ")
        }
    }
}
