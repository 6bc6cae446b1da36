import StageflowAPI

/// One rule a scanner checks, as it declares it in `results.json` (`rules`): what the score needs to know
/// about the rule whether or not it failed anywhere — its impact (which sets its weight), its category and
/// the standards it checks.
///
/// A rule that only appears in findings is described from its findings (the most severe one's severity);
/// declaring rules keeps their weight fixed, so fixing the most severe element of a rule cannot change how
/// much the rule counts.
public struct RuleDescriptor: Codable, Sendable, Hashable {
    /// The rule id findings carry.
    public var id: String
    /// A short name of the rule.
    public var title: String
    /// The rule's impact: the severity of a violation of it.
    public var severity: Severity
    /// The category it belongs to; the scanner's category when absent.
    public var category: ReportCategory?
    /// The references it checks (WCAG success criteria, HTML, Open Graph, an Observatory test, an RFC).
    public var standards: [StandardReference]?
    /// Documentation of the rule.
    public var helpUrl: String?

    /// A rule.
    public init(
        id: String, title: String, severity: Severity, category: ReportCategory? = nil,
        standards: [StandardReference]? = nil, helpUrl: String? = nil
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.category = category
        self.standards = standards
        self.helpUrl = helpUrl
    }
}
