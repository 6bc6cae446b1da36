import StageflowAPI

/// One rule violation (or one item needing review) on one element, or on the page itself, as a scanner reports
/// it.
public struct ScannerFinding: Codable, Sendable, Hashable {
    /// The scanner's rule id (`image-alt`, `missing-title`, …).
    public var ruleId: String
    /// A short name of the rule.
    public var title: String
    /// What is wrong here, in the scanner's words.
    public var message: String
    /// Normalised severity.
    public var severity: Severity
    /// The scanner's own severity word.
    public var severityRaw: String?
    /// The page the finding is on.
    public var url: String
    /// CSS selector of the element; absent for page-level findings.
    public var selector: String?
    /// Outer HTML of the element, possibly shortened by the scanner.
    public var html: String?
    /// Where the element is on the page's screenshot.
    public var boundingBox: BoundingBox?
    /// WCAG tags (`wcag2a`, `wcag111`, …) or other category tags.
    public var wcagTags: [String]?
    /// How to fix it.
    public var howToFix: String?
    /// Documentation of the rule.
    public var helpUrl: String?
    /// A violation (the default when absent) or an item that needs review.
    public var outcome: FindingOutcome?
    /// The references the rule checks; when absent, the rule's declared standards, else those its WCAG tags
    /// name (see ``StandardReference/fromTags(_:)``).
    public var standards: [StandardReference]?
    /// The report category, when it is not the rule's or the scanner's (plugins that cover several).
    public var category: ReportCategory?
    /// The check this finding fails, when the scanner scores checks whose outcomes are separate rules (an HTTP
    /// Observatory test, whose failing results each have a rule id); the score counts pages per check, and
    /// `pages[].passed` lists checks. The rule id when absent.
    public var check: String?

    /// A finding.
    public init(
        ruleId: String, title: String, message: String, severity: Severity, severityRaw: String? = nil,
        url: String, selector: String? = nil, html: String? = nil, boundingBox: BoundingBox? = nil,
        wcagTags: [String]? = nil, howToFix: String? = nil, helpUrl: String? = nil, outcome: FindingOutcome? = nil,
        standards: [StandardReference]? = nil, category: ReportCategory? = nil, check: String? = nil
    ) {
        self.ruleId = ruleId
        self.title = title
        self.message = message
        self.severity = severity
        self.severityRaw = severityRaw
        self.url = url
        self.selector = selector
        self.html = html
        self.boundingBox = boundingBox
        self.wcagTags = wcagTags
        self.howToFix = howToFix
        self.helpUrl = helpUrl
        self.outcome = outcome
        self.standards = standards
        self.category = category
        self.check = check
    }

    /// `outcome`, a violation when absent.
    public var resolvedOutcome: FindingOutcome { outcome ?? .violation }

    /// The rule the score counts this finding against: `check`, else `ruleId`.
    public var scoredRule: String { check ?? ruleId }
}
