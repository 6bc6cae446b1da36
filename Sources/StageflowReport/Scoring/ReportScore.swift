/// Grades and rounding shared by every score of a report (see `docs/scoring.md`).
public enum ReportScore {
    /// The letter grade of a score: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F, judged on the rounded score shown.
    public static func grade(for score: Double) -> String {
        switch score {
        case 90...: return "A"
        case 80..<90: return "B"
        case 70..<80: return "C"
        case 60..<70: return "D"
        default: return "F"
        }
    }

    /// A 0…100 score rounded to one decimal and clamped.
    public static func rounded(_ score: Double) -> Double {
        (min(100, max(0, score)) * 10).rounded() / 10
    }

    /// Points rounded to two decimals.
    static func points(_ value: Double) -> Double {
        (max(0, value) * 100).rounded() / 100
    }
}
