import Foundation

/// Lighthouse's scoring of lab metrics, so that our figures read like a Lighthouse report.
///
/// Each metric is scored on a log-normal curve given by two control points: the value that scores 0.9
/// (`p10`, the 10th percentile of real sites) and the one that scores 0.5 (`median`) —
/// `getLogNormalScore` of Lighthouse's `statistics.js`, including its Abramowitz–Stegun approximation of
/// `erf` and its clamping of each range. Control points and weights of Lighthouse 10–12:
///
/// | metric | mobile p10 / median | desktop p10 / median | weight |
/// |---|---|---|---|
/// | First Contentful Paint | 1800 / 3000 ms | 934 / 1600 ms | 10 |
/// | Speed Index | 3387 / 5800 ms | 1311 / 2300 ms | 10 |
/// | Largest Contentful Paint | 2500 / 4000 ms | 1200 / 2400 ms | 25 |
/// | Total Blocking Time | 200 / 600 ms | 150 / 350 ms | 30 |
/// | Cumulative Layout Shift | 0.1 / 0.25 | 0.1 / 0.25 | 25 |
///
/// A page's performance score (``pageScore(_:)``) follows Lighthouse's report: each metric's audit score is
/// the curve's value with the small boost above 0.9 Lighthouse adds, floored to two decimals
/// (``metricScore(_:value:)``), and the category is their weighted mean rounded to two decimals. A metric
/// that was not measured (our own scanner records no filmstrip, so no Speed Index) is left out with its
/// weight, the others keeping their proportions. Two more figures get a curve but no weight: time to first
/// byte (800 / 1800 ms, the web-vitals "good" and "poor" limits) and the total transfer size (2667 / 4000
/// KiB, Lighthouse's `total-byte-weight` audit).
public enum LighthouseScoring {
    /// The device profile whose control points apply.
    public enum FormFactor: String, Codable, Sendable, Hashable {
        /// Lighthouse's default (throttled mid-range phone).
        case mobile
        /// Lighthouse's desktop preset.
        case desktop
    }

    /// The metrics Lighthouse scores.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// First Contentful Paint.
        case fcp
        /// Speed Index.
        case speedIndex
        /// Largest Contentful Paint.
        case lcp
        /// Total Blocking Time.
        case tbt
        /// Cumulative Layout Shift.
        case cls
        /// Time to First Byte (scored, weight 0).
        case ttfb
        /// Total transfer size in bytes (scored, weight 0).
        case transferBytes
    }

    /// Two points of a log-normal scoring curve.
    public struct Curve: Sendable, Hashable {
        /// The value scoring 0.9.
        public var p10: Double
        /// The value scoring 0.5.
        public var median: Double

        /// A curve; `p10` must be below `median`, both positive.
        public init(p10: Double, median: Double) {
            self.p10 = p10
            self.median = median
        }
    }

    /// The weight of each metric in the performance score, as Lighthouse 10–12 give them.
    public static let weights: [Metric: Double] = [
        .fcp: 10, .speedIndex: 10, .lcp: 25, .tbt: 30, .cls: 25, .ttfb: 0, .transferBytes: 0,
    ]

    /// The control points of a metric for a form factor.
    public static func curve(_ metric: Metric, formFactor: FormFactor) -> Curve {
        switch (metric, formFactor) {
        case (.fcp, .mobile): return Curve(p10: 1800, median: 3000)
        case (.fcp, .desktop): return Curve(p10: 934, median: 1600)
        case (.speedIndex, .mobile): return Curve(p10: 3387, median: 5800)
        case (.speedIndex, .desktop): return Curve(p10: 1311, median: 2300)
        case (.lcp, .mobile): return Curve(p10: 2500, median: 4000)
        case (.lcp, .desktop): return Curve(p10: 1200, median: 2400)
        case (.tbt, .mobile): return Curve(p10: 200, median: 600)
        case (.tbt, .desktop): return Curve(p10: 150, median: 350)
        case (.cls, _): return Curve(p10: 0.1, median: 0.25)
        case (.ttfb, _): return Curve(p10: 800, median: 1800)
        case (.transferBytes, _): return Curve(p10: 2667 * 1024, median: 4000 * 1024)
        }
    }

    /// The score (0…1) of `value` on `curve`, exactly as Lighthouse's `getLogNormalScore`: 0.5 at the median,
    /// 0.9 at p10, 1 for values at or below 0; values at or better than p10 score at least 0.9, between p10
    /// and the median 0.5 to just under 0.9, worse than the median just under 0.5 down to 0.
    public static func logNormalScore(_ curve: Curve, value: Double) -> Double {
        precondition(curve.median > 0 && curve.p10 > 0 && curve.p10 < curve.median, "invalid scoring curve")
        if value <= 0 { return 1 }
        // The closest double to erfc⁻¹(1/5): the curve's shape makes p10 score 0.9.
        let inverseErfcOneFifth = 0.9061938024368232
        let xLogRatio = log(max(Double.leastNonzeroMagnitude, value / curve.median))
        let p10LogRatio = -log(max(Double.leastNonzeroMagnitude, curve.p10 / curve.median))
        let standardizedX = xLogRatio * inverseErfcOneFifth / p10LogRatio
        let complementaryPercentile = (1 - erf(standardizedX)) / 2
        if value <= curve.p10 { return max(0.9, min(1, complementaryPercentile)) }
        if value <= curve.median { return max(0.5, min(0.8999999999999999, complementaryPercentile)) }
        return max(0, min(0.49999999999999994, complementaryPercentile))
    }

    /// Lighthouse's approximation of the Gauss error function (Abramowitz and Stegun, formula 7.1.26; absolute
    /// error below 1.5e-7), kept instead of the C library's `erf` so scores match Lighthouse's digit for digit.
    public static func erf(_ x: Double) -> Double {
        let sign: Double = x < 0 ? -1 : (x > 0 ? 1 : 0)
        let magnitude = abs(x)
        let a1 = 0.254829592
        let a2 = -0.284496736
        let a3 = 1.421413741
        let a4 = -1.453152027
        let a5 = 1.061405429
        let p = 0.3275911
        let t = 1 / (1 + p * magnitude)
        let y = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5))))
        return sign * (1 - y * exp(-magnitude * magnitude))
    }

    /// The audit score (0…1) Lighthouse shows for a metric value: ``logNormalScore(_:value:)`` with scores
    /// above 0.9 raised by 5 % of their distance from 0.9 (so more top scores reach 1), floored to two
    /// decimals.
    public static func metricScore(_ curve: Curve, value: Double) -> Double {
        var percentile = logNormalScore(curve, value: value)
        if percentile > 0.9 { percentile += 0.05 * (percentile - 0.9) }
        return (percentile * 100).rounded(.down) / 100
    }

    /// A page's performance score (0…1) as Lighthouse computes its category: the weighted mean of the
    /// metric audit scores (``metricScore(_:value:)``) of the weighted metrics measured, rounded to two
    /// decimals; `nil` when none was measured.
    public static func pageScore(_ metrics: PageMetrics) -> Double? {
        var scores: [Metric: Double] = [:]
        for metric in Metric.allCases where (weights[metric] ?? 0) > 0 {
            guard let value = metrics.value(of: metric) else { continue }
            scores[metric] = metricScore(curve(metric, formFactor: metrics.formFactor), value: value)
        }
        return overallScore(scores).map { ($0 * 100).rounded() / 100 }
    }

    /// The overall performance score (0…1): the weighted mean of the given metric scores (metrics without
    /// weight ignored), weights rescaled over the metrics present; `nil` when none with weight is present.
    public static func overallScore(_ scores: [Metric: Double]) -> Double? {
        var total = 0.0
        var weightSum = 0.0
        // In a fixed order: the sum is rounded afterwards, so its last bits must not depend on hashing.
        for metric in Metric.allCases {
            guard let score = scores[metric] else { continue }
            let weight = weights[metric] ?? 0
            guard weight > 0 else { continue }
            total += weight * score
            weightSum += weight
        }
        return weightSum > 0 ? total / weightSum : nil
    }
}
