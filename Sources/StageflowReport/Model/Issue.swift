import StageflowAPI

/// One deduplicated problem: one rule of one scanner on one element (or the page itself) of one page.
///
/// Its `id` is its fingerprint (see ``Fingerprint``), stable across runs, which is what baseline diffs and
/// code-scanning dashboards match on.
public struct Issue: Codable, Sendable, Hashable {
    /// Fingerprint: the first 12 hex digits of SHA-256 over `scanner|ruleId|pageId|selector`.
    public var id: String
    /// The page's stable id.
    public var pageId: String
    /// The page URL, normalised.
    public var url: String
    /// The scanner kept for this issue (the highest-priority one that reported it).
    public var scanner: String
    /// That scanner's rule id.
    public var ruleId: String
    /// The cross-scanner rule this one belongs to, when the equivalence table lists it.
    public var canonicalRule: String?
    /// Short name of the rule.
    public var title: String
    /// What is wrong.
    public var message: String
    /// Normalised severity.
    public var severity: Severity
    /// The scanner's own severity word.
    public var severityRaw: String?
    /// WCAG and category tags, merged over the equivalent findings, sorted.
    public var wcagTags: [String]
    /// Where it is: one entry per distinct selector and HTML reported for it.
    public var occurrences: [Occurrence]
    /// How to fix it.
    public var howToFix: String?
    /// Documentation of the rule.
    public var helpUrl: String?
    /// Other scanners that reported the same problem on the same element, sorted.
    public var alsoDetectedBy: [String]
    /// Fingerprints of the equivalent findings merged into this one, sorted; baseline diffs match on them too,
    /// so a problem does not look new merely because a higher-priority scanner started reporting it.
    public var mergedIds: [String]

    /// An issue.
    public init(
        id: String, pageId: String, url: String, scanner: String, ruleId: String, canonicalRule: String? = nil,
        title: String, message: String, severity: Severity, severityRaw: String? = nil, wcagTags: [String] = [],
        occurrences: [Occurrence] = [], howToFix: String? = nil, helpUrl: String? = nil,
        alsoDetectedBy: [String] = [], mergedIds: [String] = []
    ) {
        self.id = id
        self.pageId = pageId
        self.url = url
        self.scanner = scanner
        self.ruleId = ruleId
        self.canonicalRule = canonicalRule
        self.title = title
        self.message = message
        self.severity = severity
        self.severityRaw = severityRaw
        self.wcagTags = wcagTags
        self.occurrences = occurrences
        self.howToFix = howToFix
        self.helpUrl = helpUrl
        self.alsoDetectedBy = alsoDetectedBy
        self.mergedIds = mergedIds
    }

    /// The selector of the first occurrence, or `nil` for page-level issues.
    public var primarySelector: String? { occurrences.first?.selector }
}

/// One place an issue was seen.
public struct Occurrence: Codable, Sendable, Hashable {
    /// CSS selector as the scanner reported it.
    public var selector: String?
    /// Outer HTML of the element.
    public var html: String?
    /// Where it is on the page's screenshot.
    public var boundingBox: BoundingBox?

    /// An occurrence.
    public init(selector: String? = nil, html: String? = nil, boundingBox: BoundingBox? = nil) {
        self.selector = selector
        self.html = html
        self.boundingBox = boundingBox
    }
}
