/// One category's score in a report, or why it has none, with the rules that cost it the most points.
public struct CategoryScore: Codable, Sendable, Hashable {
    /// The category.
    public var id: ReportCategory
    /// Its name.
    public var title: String
    /// Whether it has a score and how complete it is.
    public var status: CategoryStatus
    /// 0…100, one decimal; `nil` when the category has no score (see `reason`).
    public var score: Double?
    /// `A`…`F` of the score.
    public var grade: String?
    /// Its weight in the overall score.
    public var weight: Double
    /// Why the score is missing or partial: the scanners that failed and their errors, or that nothing was
    /// there to check.
    public var reason: String?
    /// The scanners whose rules belong to the category, sorted.
    public var scanners: [String]
    /// Rules (for Performance: metrics) that counted in the score.
    public var rulesScored: Int
    /// The most pages any of its rules was checked on (for Performance: pages with metrics).
    public var pagesScored: Int
    /// The rules that cost the most points, most first (at most five).
    public var topRules: [RuleCost]

    /// A category score.
    public init(
        id: ReportCategory, status: CategoryStatus, score: Double? = nil, grade: String? = nil, weight: Double? = nil,
        reason: String? = nil, scanners: [String] = [], rulesScored: Int = 0, pagesScored: Int = 0, topRules: [RuleCost] = []
    ) {
        self.id = id
        self.title = id.title
        self.status = status
        self.score = score
        self.grade = grade
        self.weight = weight ?? id.weight
        self.reason = reason
        self.scanners = scanners
        self.rulesScored = rulesScored
        self.pagesScored = pagesScored
        self.topRules = topRules
    }
}

/// Whether a category has a score.
public enum CategoryStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every scanner of the category completed and the score stands on their results.
    case scored
    /// Scored from what completed; some scanner of the category failed, was partial or timed out.
    case partial
    /// No scanner of the category completed: no score.
    case failed
    /// The scanners completed but nothing they check was on the pages: no score.
    case noEvidence = "no-evidence"

    /// Whether the category has a score.
    public var hasScore: Bool { self == .scored || self == .partial }
}

/// How many points of a score one rule (or Performance metric) costs.
public struct RuleCost: Codable, Sendable, Hashable {
    /// The scanner.
    public var scanner: String
    /// The rule id (for Performance: the metric's Lighthouse audit id, `largest-contentful-paint`).
    public var ruleId: String
    /// Its name.
    public var title: String
    /// Its category.
    public var category: ReportCategory
    /// Points lost: in a category's list, of the category's score; in the summary's list, of the overall score.
    public var points: Double
    /// Pages where it fails (for metrics: pages scoring below 0.9 on it).
    public var pagesFailing: Int
    /// Pages where it was checked.
    public var pagesChecked: Int

    /// A rule's cost.
    public init(
        scanner: String, ruleId: String, title: String, category: ReportCategory, points: Double, pagesFailing: Int,
        pagesChecked: Int
    ) {
        self.scanner = scanner
        self.ruleId = ruleId
        self.title = title
        self.category = category
        self.points = points
        self.pagesFailing = pagesFailing
        self.pagesChecked = pagesChecked
    }
}
