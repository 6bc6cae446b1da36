import Foundation
import Testing

@testable import StageflowReport

@Suite struct ReportScoreTests {
    @Test func noIssuesScoreAHundred() {
        let score = ReportScore(counts: SeverityCounts())
        #expect(score.score == 100)
        #expect(score.grade == "A")
    }

    @Test(arguments: [
        // (critical, serious, moderate, minor, expected score)
        (0, 0, 0, 0, 100.0),
        (0, 0, 0, 1, 96.4),  // p = 0.5: 100 − (20·log10 1.5 + 0.125) = 96.353
        (0, 0, 1, 0, 90.0),  // p = 2: 100 − (20·log10 3 + 0.5) = 89.958
        (0, 1, 0, 0, 81.6),  // p = 6: 100 − (20·log10 7 + 1.5) = 81.598
        (1, 0, 0, 0, 68.6),  // p = 20: 100 − (20·log10 21 + 5) = 68.556
        (2, 3, 4, 5, 46.0),  // p = 68.5: 100 − (20·log10 69.5 + 17.125) = 46.03
    ])
    func scoreFollowsTheFormula(_ critical: Int, _ serious: Int, _ moderate: Int, _ minor: Int, _ expected: Double) {
        let counts = SeverityCounts(critical: critical, serious: serious, moderate: moderate, minor: minor)
        let p = ReportScore.penalty(counts)
        let exact = min(100, max(0, 100 - (20 * log10(p + 1) + 0.25 * p)))
        #expect(ReportScore(counts: counts).score == (exact * 10).rounded() / 10)
        #expect(ReportScore(counts: counts).score == expected)
    }

    @Test func handComputedValues() {
        #expect(ReportScore.score(penalty: 0) == 100)
        #expect(ReportScore.score(penalty: 20) == 68.6)
        #expect(ReportScore.score(penalty: 6) == 81.6)
        #expect(ReportScore.score(penalty: 99) == 35.3)  // 100 − (40 + 24.75) = 35.25 → 35.3
        #expect(ReportScore.penalty(SeverityCounts(critical: 1, serious: 1, moderate: 1, minor: 1, info: 100)) == 28.5)
    }

    @Test func clampedToZero() {
        #expect(ReportScore.score(penalty: 1_000) == 0)
        #expect(ReportScore(counts: SeverityCounts(critical: 500)).score == 0)
        #expect(ReportScore(counts: SeverityCounts(critical: 500)).grade == "F")
    }

    @Test func informationalIssuesWeighNothing() {
        #expect(ReportScore(counts: SeverityCounts(info: 10_000)).score == 100)
    }

    @Test(arguments: [(100.0, "A"), (90.0, "A"), (89.9, "B"), (80.0, "B"), (79.9, "C"), (70.0, "C"), (69.9, "D"), (60.0, "D"), (59.9, "F"), (0.0, "F")])
    func gradeBands(_ score: Double, _ grade: String) {
        #expect(ReportScore.grade(for: score) == grade)
    }
}
