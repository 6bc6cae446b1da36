import Foundation
import StageflowReport

/// The `performance` page scanner: Lighthouse-style lab metrics of each page as the runner's browser loaded
/// it — First Contentful Paint, Largest Contentful Paint, Cumulative Layout Shift, Total Blocking Time, Time
/// to First Byte, transfer size and request count — scored on Lighthouse's curves (``LighthouseScoring``) and
/// checked against budgets (``PerformanceBudgets``).
///
/// Observers installed at document start (``PerformanceScript/documentStart``) record paints, layout shifts
/// and long tasks; after the load one expression (``PerformanceScript/collect``) reads them with navigation
/// and resource timing. The browser's network log, when the runner has one, gives the request count,
/// transfer size and time to first byte. Figures come from an unthrottled load, so they are comparable from
/// run to run on one machine rather than with PageSpeed Insights' simulated throttling.
public struct PerformanceScanner: PageScanner {
    /// `performance`.
    public let id = "performance"
    /// The metrics come from the live page.
    public let requiresBrowser = true
    /// Load timings are skewed by other loads running at once.
    public let measuresLoad = true

    /// The scanner's configuration (the manifest's `configSchema`).
    public struct Configuration: Decodable, Sendable {
        /// Whose control points score the metrics (default desktop).
        public var formFactor: LighthouseScoring.FormFactor?
        /// Limits per metric.
        public var budgets: PerformanceBudgets?
        /// A page scoring below this (0…1, default 0.9) gets a `performance-score` finding.
        public var minScore: Double?
    }

    /// A scanner.
    public init() {}

    /// Decodes the configuration and resolves the budgets for the form factor.
    public func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession {
        let configuration = try setup.decodeConfig(Configuration.self)
        let formFactor = configuration.formFactor ?? .desktop
        let minScore = configuration.minScore ?? 0.9
        guard (0...1).contains(minScore) else {
            throw ScannerRunError(
                .badInput, "configuration of scanner \"\(setup.scanner.id)\" is invalid: minScore must be between 0 and 1")
        }
        return PerformanceSession(
            judge: PerformanceJudge(
                formFactor: formFactor, budgets: (configuration.budgets ?? PerformanceBudgets()).resolved(for: formFactor),
                minScore: minScore),
            logger: setup.logger)
    }
}
