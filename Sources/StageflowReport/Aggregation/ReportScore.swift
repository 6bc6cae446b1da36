import Foundation

/// The report score and grade.
///
/// Score = 100 − (20·log10(p+1) + 0.25·p), where p = 20·critical + 6·serious + 2·moderate + 0.5·minor
/// (informational issues weigh nothing), clamped to 0…100 and rounded to one decimal. The logarithm makes
/// the first issues cost the most; the linear term keeps large counts apart. Grades: A ≥ 90, B ≥ 80,
/// C ≥ 70, D ≥ 60, else F, judged on the rounded score that is shown.
public struct ReportScore: Sendable, Hashable {
    /// 0…100, one decimal.
    public var score: Double
    /// `A`…`F`.
    public var grade: String

    /// The score of deduplicated issue counts.
    public init(counts: SeverityCounts) {
        let score = Self.score(penalty: Self.penalty(counts))
        self.score = score
        self.grade = Self.grade(for: score)
    }

    /// p = 20·critical + 6·serious + 2·moderate + 0.5·minor.
    public static func penalty(_ counts: SeverityCounts) -> Double {
        20 * Double(counts.critical) + 6 * Double(counts.serious) + 2 * Double(counts.moderate) + 0.5 * Double(counts.minor)
    }

    /// 100 − (20·log10(p+1) + 0.25·p), clamped to 0…100, rounded to one decimal.
    public static func score(penalty p: Double) -> Double {
        let raw = 100 - (20 * log10(p + 1) + 0.25 * p)
        let clamped = min(100, max(0, raw))
        return (clamped * 10).rounded() / 10
    }

    /// The letter grade of a score.
    public static func grade(for score: Double) -> String {
        switch score {
        case 90...: return "A"
        case 80..<90: return "B"
        case 70..<80: return "C"
        case 60..<70: return "D"
        default: return "F"
        }
    }
}
