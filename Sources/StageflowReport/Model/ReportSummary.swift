import StageflowAPI

/// The headline numbers of a report.
public struct ReportSummary: Codable, Sendable, Hashable {
    /// 0…100, one decimal (see ``ReportScore``).
    public var score: Double
    /// `A`…`F` (see ``ReportScore``).
    public var grade: String
    /// Deduplicated issues.
    public var totalIssues: Int
    /// Deduplicated issues per severity.
    public var bySeverity: SeverityCounts
    /// Deduplicated issues per reporting scanner (merged issues count for the scanner kept); every scanner of
    /// the job is listed, with 0 where it found nothing.
    public var byScanner: [String: Int]
    /// Distinct pages seen by any scanner.
    public var pagesScanned: Int
    /// Pages with at least one issue.
    public var pagesWithIssues: Int

    /// A summary.
    public init(
        score: Double, grade: String, totalIssues: Int, bySeverity: SeverityCounts, byScanner: [String: Int],
        pagesScanned: Int, pagesWithIssues: Int
    ) {
        self.score = score
        self.grade = grade
        self.totalIssues = totalIssues
        self.bySeverity = bySeverity
        self.byScanner = byScanner
        self.pagesScanned = pagesScanned
        self.pagesWithIssues = pagesWithIssues
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
