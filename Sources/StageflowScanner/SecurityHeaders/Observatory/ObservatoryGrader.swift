/// The Mozilla HTTP Observatory's grading (algorithm version 4, the tests of mdn/mdn-http-observatory),
/// re-implemented: each test turns a page's response into one result with a score modifier; the score starts
/// at 100, adds the penalties, adds the bonuses only when the score without them is at least 90, never goes
/// below 0, and maps to a letter grade.
public struct ObservatoryGrader: Sendable {
    /// A grader.
    public init() {}

    /// Every test's verdict on one page, with the score and grade.
    public func grade(_ input: ObservatoryInput) -> ObservatoryReport {
        let csp = contentSecurityPolicy(input)
        let (hsts, hstsPolicy) = strictTransportSecurity(input)
        let outcomes = [
            csp.outcome,
            cookies(input, hstsPasses: hsts.pass),
            crossOriginResourceSharing(input),
            redirection(input),
            referrerPolicy(input),
            hsts,
            subresourceIntegrity(input),
            xContentTypeOptions(input),
            xFrameOptions(input, csp: csp),
            crossOriginResourcePolicy(input),
            crossOriginOpenerPolicy(input),
            crossOriginEmbedderPolicy(input),
        ]
        let score = Self.score(outcomes.map(\.modifier))
        return ObservatoryReport(outcomes: outcomes, score: score, grade: Self.grade(forScore: score), csp: csp, hsts: hstsPolicy)
    }

    /// The Observatory's score: 100 plus the penalties, plus the bonuses when the penalised score is still
    /// at least 90; at least 0.
    public static func score(_ modifiers: [Int]) -> Int {
        let penalised = 100 + modifiers.filter { $0 < 0 }.reduce(0, +)
        let withBonuses = 100 + modifiers.reduce(0, +)
        return max(0, penalised >= 90 ? withBonuses : penalised)
    }

    /// The letter grade of a score: A+ from 100, A from 90, A- 85, B+ 80, B 70, B- 65, C+ 60, C 50, C- 45,
    /// D+ 40, D 30, D- 25, F below.
    public static func grade(forScore score: Int) -> String {
        let bands: [(Int, String)] = [
            (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"), (50, "C"), (45, "C-"),
            (40, "D+"), (30, "D"), (25, "D-"),
        ]
        return bands.first { score >= $0.0 }?.1 ?? "F"
    }
}
