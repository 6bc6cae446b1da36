import Foundation
import StageflowReport
import Testing

@testable import StageflowScanner

/// The C library's erf, as a reference.
private func systemErf(_ x: Double) -> Double {
    erf(x)
}

@Suite("Lighthouse scoring")
struct LighthouseScoringTests {
    typealias Curve = LighthouseScoring.Curve

    @Test("the log-normal curve scores the median 0.5 and p10 0.9, for every control point in use")
    func controlPoints() {
        for formFactor in [LighthouseScoring.FormFactor.mobile, .desktop] {
            for metric in LighthouseScoring.Metric.allCases {
                let curve = LighthouseScoring.curve(metric, formFactor: formFactor)
                #expect(abs(LighthouseScoring.logNormalScore(curve, value: curve.median) - 0.5) < 1e-9)
                #expect(abs(LighthouseScoring.logNormalScore(curve, value: curve.p10) - 0.9) < 1e-6)
                #expect(LighthouseScoring.logNormalScore(curve, value: curve.p10) >= 0.9)
            }
        }
    }

    /// Expected values computed independently: 1 − Φ((ln x − ln median) / σ) with σ = ln(median / p10) / Φ⁻¹(0.9),
    /// from Python's `statistics.NormalDist`; Lighthouse's erf approximation is within 1.5e-7 of it.
    @Test(
        "scores between and beyond the control points match the log-normal distribution",
        arguments: [
            (2500.0, 4000.0, 3000.0, 0.7836026246249712),
            (2500, 4000, 5000, 0.2714471676933553),
            (2500, 4000, 1500, 0.9962569770549188),
            (934, 1600, 1200, 0.7533022003389205),
            (200, 600, 1000, 0.27562517766308336),
            (0.1, 0.25, 0.05, 0.9878074814947929),
            (0.1, 0.25, 0.4, 0.25547437775985116),
            (150, 350, 100, 0.9709421405115692),
        ])
    func independentValues(p10: Double, median: Double, value: Double, expected: Double) {
        let score = LighthouseScoring.logNormalScore(Curve(p10: p10, median: median), value: value)
        #expect(abs(score - expected) < 1e-6, "\(score) vs \(expected)")
    }

    @Test("Lighthouse's clamping: 1 at zero, each range kept on its side of 0.9 and 0.5, never below 0")
    func clamping() {
        let curve = Curve(p10: 200, median: 600)
        #expect(LighthouseScoring.logNormalScore(curve, value: 0) == 1)
        #expect(LighthouseScoring.logNormalScore(curve, value: -5) == 1)
        #expect(LighthouseScoring.logNormalScore(curve, value: 200.0001) < 0.9)
        #expect(LighthouseScoring.logNormalScore(curve, value: 600.0001) < 0.5)
        #expect(LighthouseScoring.logNormalScore(curve, value: 1e12) >= 0)
        #expect(LighthouseScoring.logNormalScore(curve, value: 1e12) < 1e-6)
        // Monotonic: a worse value never scores better.
        var previous = 1.0
        for value in stride(from: 1.0, through: 5000, by: 7) {
            let score = LighthouseScoring.logNormalScore(curve, value: value)
            #expect(score <= previous)
            previous = score
        }
    }

    @Test("erf is Lighthouse's approximation: odd, 0 at 0, within 1.5e-7 of the C library's")
    func errorFunction() {
        #expect(LighthouseScoring.erf(0) == 0)
        for x in stride(from: -3.0, through: 3.0, by: 0.25) {
            #expect(abs(LighthouseScoring.erf(x) - systemErf(x)) < 1.5e-7)
            #expect(LighthouseScoring.erf(-x) == -LighthouseScoring.erf(x))
        }
    }

    @Test("the overall score spreads Speed Index's weight over the measured metrics")
    func overall() throws {
        // All four weighted metrics: weights 10, 25, 30, 25 out of 90.
        let all: [LighthouseScoring.Metric: Double] = [.fcp: 1, .lcp: 0.5, .tbt: 0, .cls: 1, .ttfb: 0]
        let score = try #require(LighthouseScoring.overallScore(all))
        #expect(abs(score - (10 * 1 + 25 * 0.5 + 30 * 0 + 25 * 1) / 90) < 1e-12)
        // A metric not measured drops out with its weight.
        let partial = try #require(LighthouseScoring.overallScore([.fcp: 1, .lcp: 0.5]))
        #expect(abs(partial - (10 + 12.5) / 35) < 1e-12)
        #expect(LighthouseScoring.overallScore([.ttfb: 0.2]) == nil)
        #expect(LighthouseScoring.weights.values.reduce(0, +) == 100)
    }
}
