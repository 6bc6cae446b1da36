import StageflowAPI

/// The headline numbers of a report.
///
/// Counts are of problems a person fixes: one issue per rule per page, whatever the number of elements
/// (`occurrences` counts those). The score is a weighted mean of the category scores that exist; it is
/// `nil` when no category has one, and `partial` when some category of the job has no score or was scored
/// from incomplete results (see `docs/scoring.md`).
public struct ReportSummary: Codable, Sendable, Hashable {
    /// 0…100, one decimal: the weighted mean of the category scores; `nil` when no category has a score.
    public var score: Double?
    /// `A`…`F` of the score; `nil` without a score.
    public var grade: String?
    /// Whether the score leaves out a category of the job, or stands on a scanner's partial results.
    public var partial: Bool
    /// Why the score is partial or missing, in a sentence.
    public var scoreNote: String?
    /// Every category of the job, in report order, with its score or why it has none.
    public var categories: [CategoryScore]
    /// The rules that cost the overall score the most points, most first (at most five).
    public var topRules: [RuleCost]
    /// Issues: distinct (rule, page) violations, after deduplication.
    public var totalIssues: Int
    /// Element occurrences of those issues.
    public var occurrences: Int
    /// Distinct (rule, page) items that need review; not issues, not in the score.
    public var needsReview: Int
    /// Issues per severity.
    public var bySeverity: SeverityCounts
    /// Issues per reporting scanner (merged issues count for the scanner kept); every scanner of the job is
    /// listed, with 0 where it found nothing.
    public var byScanner: [String: Int]
    /// Issues per category of the job.
    public var byCategory: [String: Int]
    /// Distinct pages seen by any scanner.
    public var pagesScanned: Int
    /// Pages with at least one issue.
    public var pagesWithIssues: Int

    /// A summary.
    public init(
        score: Double?, grade: String?, partial: Bool = false, scoreNote: String? = nil, categories: [CategoryScore] = [],
        topRules: [RuleCost] = [], totalIssues: Int, occurrences: Int? = nil, needsReview: Int = 0, bySeverity: SeverityCounts,
        byScanner: [String: Int], byCategory: [String: Int] = [:], pagesScanned: Int, pagesWithIssues: Int
    ) {
        self.score = score
        self.grade = grade
        self.partial = partial
        self.scoreNote = scoreNote
        self.categories = categories
        self.topRules = topRules
        self.totalIssues = totalIssues
        self.occurrences = occurrences ?? totalIssues
        self.needsReview = needsReview
        self.bySeverity = bySeverity
        self.byScanner = byScanner
        self.byCategory = byCategory
        self.pagesScanned = pagesScanned
        self.pagesWithIssues = pagesWithIssues
    }

    /// Reads contract 3 summaries, and contract 2 ones (no categories: a baseline's score is still read).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        score = try container.decodeIfPresent(Double.self, forKey: .score)
        grade = try container.decodeIfPresent(String.self, forKey: .grade)
        partial = try container.decodeIfPresent(Bool.self, forKey: .partial) ?? false
        scoreNote = try container.decodeIfPresent(String.self, forKey: .scoreNote)
        categories = try container.decodeIfPresent([CategoryScore].self, forKey: .categories) ?? []
        topRules = try container.decodeIfPresent([RuleCost].self, forKey: .topRules) ?? []
        totalIssues = try container.decode(Int.self, forKey: .totalIssues)
        occurrences = try container.decodeIfPresent(Int.self, forKey: .occurrences) ?? totalIssues
        needsReview = try container.decodeIfPresent(Int.self, forKey: .needsReview) ?? 0
        bySeverity = try container.decode(SeverityCounts.self, forKey: .bySeverity)
        byScanner = try container.decodeIfPresent([String: Int].self, forKey: .byScanner) ?? [:]
        byCategory = try container.decodeIfPresent([String: Int].self, forKey: .byCategory) ?? [:]
        pagesScanned = try container.decodeIfPresent(Int.self, forKey: .pagesScanned) ?? 0
        pagesWithIssues = try container.decodeIfPresent(Int.self, forKey: .pagesWithIssues) ?? 0
    }

    /// The score of a category, when it has one.
    public func score(of category: ReportCategory) -> Double? {
        categories.first { $0.id == category }?.score
    }
}

/// A count per severity.
public struct SeverityCounts: Codable, Sendable, Hashable {
    /// Critical issues.
    public var critical: Int
    /// Serious issues.
    public var serious: Int
    /// Moderate issues.
    public var moderate: Int
    /// Minor issues.
    public var minor: Int
    /// Informational issues.
    public var info: Int

    /// Counts, zero by default.
    public init(critical: Int = 0, serious: Int = 0, moderate: Int = 0, minor: Int = 0, info: Int = 0) {
        self.critical = critical
        self.serious = serious
        self.moderate = moderate
        self.minor = minor
        self.info = info
    }

    /// The count of one severity.
    public subscript(severity: Severity) -> Int {
        get {
            switch severity {
            case .critical: return critical
            case .serious: return serious
            case .moderate: return moderate
            case .minor: return minor
            case .info: return info
            }
        }
        set {
            switch severity {
            case .critical: critical = newValue
            case .serious: serious = newValue
            case .moderate: moderate = newValue
            case .minor: minor = newValue
            case .info: info = newValue
            }
        }
    }

    /// All issues.
    public var total: Int { critical + serious + moderate + minor + info }

    /// Issues at `threshold` or more severe.
    public func atOrAbove(_ threshold: Severity) -> Int {
        Severity.allCases.filter { $0 >= threshold }.reduce(0) { $0 + self[$1] }
    }

    /// Keyed by severity name.
    public var dictionary: [String: Int] {
        Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, self[$0]) })
    }
}
