import StageflowAPI

/// How a report compares with its baseline, by fingerprint.
public struct ReportDiff: Codable, Sendable, Hashable {
    /// The baseline report's job id.
    public var baselineJobId: String
    /// The baseline's score, for the trend.
    public var baselineScore: Double?
    /// The baseline's grade.
    public var baselineGrade: String?
    /// How many issues fall in each class.
    public var counts: DiffCounts
    /// Fingerprints of current issues absent from the baseline, sorted.
    public var new: [String]
    /// Fingerprints of current issues also in the baseline, sorted.
    public var unchanged: [String]
    /// Baseline issues no longer reported, though their scanner completed and their page was scanned again.
    public var fixed: [BaselineIssue]
    /// Fingerprints of baseline issues that this run could not re-check (their scanner did not complete, or
    /// their page was not scanned): neither fixed nor present.
    public var unverified: [String]

    /// A diff.
    public init(
        baselineJobId: String, baselineScore: Double? = nil, baselineGrade: String? = nil, new: [String],
        unchanged: [String], fixed: [BaselineIssue], unverified: [String]
    ) {
        self.baselineJobId = baselineJobId
        self.baselineScore = baselineScore
        self.baselineGrade = baselineGrade
        self.counts = DiffCounts(new: new.count, fixed: fixed.count, unchanged: unchanged.count, unverified: unverified.count)
        self.new = new
        self.unchanged = unchanged
        self.fixed = fixed
        self.unverified = unverified
    }
}

/// The sizes of the diff classes.
public struct DiffCounts: Codable, Sendable, Hashable {
    /// New since the baseline.
    public var new: Int
    /// Fixed since the baseline.
    public var fixed: Int
    /// In both.
    public var unchanged: Int
    /// In the baseline, not re-checked.
    public var unverified: Int

    /// Counts.
    public init(new: Int, fixed: Int, unchanged: Int, unverified: Int) {
        self.new = new
        self.fixed = fixed
        self.unchanged = unchanged
        self.unverified = unverified
    }
}

/// A fixed issue as the baseline described it, so renderers can name what was fixed.
public struct BaselineIssue: Codable, Sendable, Hashable {
    /// Its fingerprint.
    public var id: String
    /// The scanner that reported it.
    public var scanner: String
    /// The rule.
    public var ruleId: String
    /// Short name of the rule.
    public var title: String
    /// The page.
    public var url: String
    /// Its severity then.
    public var severity: Severity

    /// A baseline issue.
    public init(id: String, scanner: String, ruleId: String, title: String, url: String, severity: Severity) {
        self.id = id
        self.scanner = scanner
        self.ruleId = ruleId
        self.title = title
        self.url = url
        self.severity = severity
    }
}
