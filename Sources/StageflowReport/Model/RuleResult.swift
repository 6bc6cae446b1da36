import StageflowAPI

/// One scanner rule over the whole job: how many pages it failed, needed review, passed or did not apply
/// to, its weight, and what it costs its category's score.
public struct RuleResult: Codable, Sendable, Hashable {
    /// The scanner.
    public var scanner: String
    /// The rule id.
    public var ruleId: String
    /// Its name.
    public var title: String
    /// The category it counts in.
    public var category: ReportCategory
    /// Its impact.
    public var severity: Severity
    /// Its weight in the category (from its impact; see `docs/scoring.md`).
    public var weight: Double
    /// The references it checks.
    public var standards: [StandardReference]
    /// Documentation of the rule.
    public var helpUrl: String?
    /// Pages per outcome.
    public var pages: RuleOutcomeCounts
    /// 0…100: the share of the pages it was checked on (violation or passed) where it passed; `nil` when it
    /// was checked nowhere.
    public var score: Double?
    /// Points of its category's score it costs.
    public var points: Double

    /// A rule result.
    public init(
        scanner: String, ruleId: String, title: String, category: ReportCategory, severity: Severity, weight: Double,
        standards: [StandardReference] = [], helpUrl: String? = nil, pages: RuleOutcomeCounts, score: Double? = nil,
        points: Double = 0
    ) {
        self.scanner = scanner
        self.ruleId = ruleId
        self.title = title
        self.category = category
        self.severity = severity
        self.weight = weight
        self.standards = standards
        self.helpUrl = helpUrl
        self.pages = pages
        self.score = score
        self.points = points
    }
}

/// Pages per rule outcome.
public struct RuleOutcomeCounts: Codable, Sendable, Hashable {
    /// Pages where the rule is violated.
    public var violation: Int
    /// Pages where it only needs review.
    public var needsReview: Int
    /// Pages where it was checked and passed.
    public var passed: Int
    /// Pages it did not apply to (or that were not checked).
    public var inapplicable: Int

    /// Counts, zero by default.
    public init(violation: Int = 0, needsReview: Int = 0, passed: Int = 0, inapplicable: Int = 0) {
        self.violation = violation
        self.needsReview = needsReview
        self.passed = passed
        self.inapplicable = inapplicable
    }

    /// Pages where the rule decided something that counts: violated or passed.
    public var checked: Int { violation + passed }
}
