/// The grading of one page.
public struct ObservatoryReport: Sendable, Hashable {
    /// One verdict per test, in the Observatory's order.
    public var outcomes: [ObservatoryOutcome]
    /// 0 and up (bonuses can take it past 100).
    public var score: Int
    /// `A+` … `F`.
    public var grade: String
    /// Details of the CSP test.
    public var csp: CSPAnalysis
    /// The HSTS header's parameters, when it could be read.
    public var hsts: HSTSPolicy?

    /// The verdict of one test.
    public func outcome(_ test: ObservatoryTest) -> ObservatoryOutcome? {
        outcomes.first { $0.test == test }
    }

    /// How many tests passed.
    public var passed: Int { outcomes.filter(\.pass).count }
}
