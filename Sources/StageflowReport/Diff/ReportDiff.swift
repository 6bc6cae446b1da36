import StageflowAPI

/// How a report compares with its baseline, by element fingerprint (see ``BaselineDiff``).
public struct ReportDiff: Codable, Sendable, Hashable {
    /// The baseline report's job id.
    public var baselineJobId: String
    /// The baseline's score, for the trend.
    public var baselineScore: Double?
    /// The baseline's grade.
    public var baselineGrade: String?
    /// How many issues fall in each class.
    public var counts: DiffCounts
    /// Fingerprints of current elements absent from the baseline, sorted.
    public var new: [String]
    /// Fingerprints of current elements also in the baseline, sorted.
    public var unchanged: [String]
    /// Baseline elements no longer reported, though their scanner completed and their page was scanned again.
    public var fixed: [BaselineIssue]
    /// Fingerprints of baseline elements that this run could not re-check (their scanner did not complete, or
    /// their page was not scanned): neither fixed nor present.
    public var unverified: [String]
    /// Ids of the current issues with at least one new element, sorted.
    public var newIssues: [String]

    /// A diff.
    public init(
        baselineJobId: String, baselineScore: Double? = nil, baselineGrade: String? = nil, new: [String],
        unchanged: [String], fixed: [BaselineIssue], unverified: [String], newIssues: [String] = []
    ) {
        self.baselineJobId = baselineJobId
        self.baselineScore = baselineScore
        self.baselineGrade = baselineGrade
        self.counts = DiffCounts(
            new: new.count, fixed: fixed.count, unchanged: unchanged.count, unverified: unverified.count, newIssues: newIssues.count)
        self.new = new
        self.unchanged = unchanged
        self.fixed = fixed
        self.unverified = unverified
        self.newIssues = newIssues
    }

    /// Reads contract 3 diffs, and contract 2 ones (no `newIssues`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        baselineJobId = try container.decode(String.self, forKey: .baselineJobId)
        baselineScore = try container.decodeIfPresent(Double.self, forKey: .baselineScore)
        baselineGrade = try container.decodeIfPresent(String.self, forKey: .baselineGrade)
        new = try container.decodeIfPresent([String].self, forKey: .new) ?? []
        unchanged = try container.decodeIfPresent([String].self, forKey: .unchanged) ?? []
        fixed = try container.decodeIfPresent([BaselineIssue].self, forKey: .fixed) ?? []
        unverified = try container.decodeIfPresent([String].self, forKey: .unverified) ?? []
        newIssues = try container.decodeIfPresent([String].self, forKey: .newIssues) ?? []
        counts = try container.decodeIfPresent(DiffCounts.self, forKey: .counts)
            ?? DiffCounts(new: new.count, fixed: fixed.count, unchanged: unchanged.count, unverified: unverified.count, newIssues: newIssues.count)
    }

    /// Whether an issue has an element new since the baseline (or is itself listed as new).
    public func isNew(_ issue: Issue, among newElements: Set<String>) -> Bool {
        newElements.contains(issue.id) || issue.occurrences.contains { newElements.contains($0.id) }
    }
}

/// The sizes of the diff classes, in elements, and the issues with a new element.
public struct DiffCounts: Codable, Sendable, Hashable {
    /// Elements new since the baseline.
    public var new: Int
    /// Elements fixed since the baseline.
    public var fixed: Int
    /// Elements in both.
    public var unchanged: Int
    /// Elements in the baseline, not re-checked.
    public var unverified: Int
    /// Issues with at least one new element.
    public var newIssues: Int

    /// Counts.
    public init(new: Int, fixed: Int, unchanged: Int, unverified: Int, newIssues: Int = 0) {
        self.new = new
        self.fixed = fixed
        self.unchanged = unchanged
        self.unverified = unverified
        self.newIssues = newIssues
    }

    /// Reads contract 3 counts, and contract 2 ones (no `newIssues`: the new elements, one issue each).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        new = try container.decode(Int.self, forKey: .new)
        fixed = try container.decode(Int.self, forKey: .fixed)
        unchanged = try container.decode(Int.self, forKey: .unchanged)
        unverified = try container.decode(Int.self, forKey: .unverified)
        newIssues = try container.decodeIfPresent(Int.self, forKey: .newIssues) ?? new
    }
}

/// A fixed element as the baseline described it, so renderers can name what was fixed.
public struct BaselineIssue: Codable, Sendable, Hashable {
    /// The element's fingerprint.
    public var id: String
    /// The fingerprint of the baseline issue it belonged to.
    public var issueId: String?
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
    /// The element's selector, when it had one.
    public var selector: String?

    /// A baseline element.
    public init(
        id: String, issueId: String? = nil, scanner: String, ruleId: String, title: String, url: String, severity: Severity,
        selector: String? = nil
    ) {
        self.id = id
        self.issueId = issueId
        self.selector = selector
        self.scanner = scanner
        self.ruleId = ruleId
        self.title = title
        self.url = url
        self.severity = severity
    }
}
