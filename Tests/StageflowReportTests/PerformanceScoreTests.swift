import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

/// The Performance score against Lighthouse's own formula: the expected values below were worked out by hand
/// from Lighthouse's published control points and weights (FCP 10, Speed Index 10, LCP 25, TBT 30, CLS 25),
/// its log-normal curve (score 0.9 at p10, 0.5 at the median), the boost of scores above 0.9 by 5 % of their
/// distance from 0.9, flooring each metric to two decimals, and rounding the weighted mean to two decimals.
@Suite struct PerformanceScoreTests {
    struct Case: Sendable, CustomStringConvertible {
        var metrics: PageMetrics
        /// Lighthouse's metric scores and its performance score (0–100) for these values.
        var metricScores: [LighthouseScoring.Metric: Double]
        var lighthouse: Double
        var description: String { "\(metrics.formFactor) → \(lighthouse)" }
    }

    static let cases: [Case] = [
        // Desktop: FCP 1200 (0.75), SI 1800 (0.71), LCP 2000 (0.63), TBT 200 (0.80), CLS 0.05 (0.99):
        // (10·0.75 + 10·0.71 + 25·0.63 + 30·0.80 + 25·0.99) / 100 = 0.791 → 0.79.
        Case(
            metrics: PageMetrics(formFactor: .desktop, fcpMs: 1200, speedIndexMs: 1800, lcpMs: 2000, tbtMs: 200, cls: 0.05),
            metricScores: [.fcp: 0.75, .speedIndex: 0.71, .lcp: 0.63, .tbt: 0.80, .cls: 0.99], lighthouse: 79),
        // Mobile: FCP 2500 (0.67), SI 4500 (0.72), LCP 3500 (0.64), TBT 450 (0.63), CLS 0.12 (0.84) → 0.698 → 0.70.
        Case(
            metrics: PageMetrics(formFactor: .mobile, fcpMs: 2500, speedIndexMs: 4500, lcpMs: 3500, tbtMs: 450, cls: 0.12),
            metricScores: [.fcp: 0.67, .speedIndex: 0.72, .lcp: 0.64, .tbt: 0.63, .cls: 0.84], lighthouse: 70),
        // Mobile, slow: FCP 4000 (0.23), SI 8000 (0.22), LCP 7000 (0.06), TBT 1200 (0.20), CLS 0.4 (0.25) → 0.1825 → 0.18.
        Case(
            metrics: PageMetrics(formFactor: .mobile, fcpMs: 4000, speedIndexMs: 8000, lcpMs: 7000, tbtMs: 1200, cls: 0.4),
            metricScores: [.fcp: 0.23, .speedIndex: 0.22, .lcp: 0.06, .tbt: 0.20, .cls: 0.25], lighthouse: 18),
        // Every metric exactly at its desktop median scores 0.5, so the page scores 50.
        Case(
            metrics: PageMetrics(formFactor: .desktop, fcpMs: 1600, speedIndexMs: 2300, lcpMs: 2400, tbtMs: 350, cls: 0.25),
            metricScores: [.fcp: 0.5, .speedIndex: 0.5, .lcp: 0.5, .tbt: 0.5, .cls: 0.5], lighthouse: 50),
        // Every metric at or below 0 scores 1.
        Case(
            metrics: PageMetrics(formFactor: .mobile, fcpMs: 0, speedIndexMs: 0, lcpMs: 0, tbtMs: 0, cls: 0),
            metricScores: [.fcp: 1, .speedIndex: 1, .lcp: 1, .tbt: 1, .cls: 1], lighthouse: 100),
    ]

    @Test("a page's Performance score matches Lighthouse's formula within 1 point", arguments: cases)
    func pageScoreMatchesLighthouse(_ example: Case) throws {
        for (metric, expected) in example.metricScores {
            let value = try #require(example.metrics.value(of: metric))
            let score = LighthouseScoring.metricScore(LighthouseScoring.curve(metric, formFactor: example.metrics.formFactor), value: value)
            #expect(abs(score - expected) < 0.011, "\(metric): \(score)")
        }
        let page = try #require(LighthouseScoring.pageScore(example.metrics))
        #expect(abs(page * 100 - example.lighthouse) <= 1)
    }

    @Test func theCategoryIsTheMeanOfItsPagesAndNamesTheMetricsThatCostTheMost() throws {
        let pages = Self.cases.prefix(2).enumerated().map { index, example in
            ScannedPage(url: "https://example.com/\(index)", passed: [], metrics: example.metrics)
        }
        let report = ReportAggregator().aggregate(meta: SiteFixture.meta(), results: [ScannerResults(scanner: "performance", pages: pages)])
        let performance = try #require(report.summary.categories.first { $0.id == .performance })
        #expect(performance.status == .scored)
        let score = try #require(performance.score)
        #expect(abs(score - (79 + 70) / 2) <= 1)
        #expect(performance.pagesScored == 2 && performance.rulesScored == 5)
        #expect(performance.topRules.first?.ruleId == "largest-contentful-paint")
        let lost = performance.topRules.reduce(0) { $0 + $1.points }
        #expect(abs(lost - (100 - score)) < 1.5, "the metrics' points add up to what was lost")
        #expect(report.pages.map(\.performanceScore) == [79, 70])
    }

    @Test func aPageWithoutSpeedIndexWeighsTheOtherMetricsProportionally() throws {
        // FCP 1200 (0.75), LCP 2000 (0.63), TBT 200 (0.80), CLS 0.05 (0.99) over the weights 90: 72 / 90 = 0.80.
        let metrics = PageMetrics(formFactor: .desktop, fcpMs: 1200, lcpMs: 2000, tbtMs: 200, cls: 0.05)
        #expect(LighthouseScoring.pageScore(metrics) == 0.8)
        #expect(LighthouseScoring.pageScore(PageMetrics(formFactor: .desktop, ttfbMs: 100)) == nil)
    }
}
