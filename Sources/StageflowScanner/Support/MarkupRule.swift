import StageflowReport

/// A rule of a built-in markup scanner (`seo`, `open-graph`): its id, short title, raw severity, fix and the
/// references it checks, from which every finding of the rule, and its declaration for the score, are made
/// the same way.
protocol MarkupRule {
    /// The rule id findings carry.
    var id: String { get }
    /// A short name of the rule.
    var title: String { get }
    /// The raw severity word (`severityRaw`).
    var rawSeverity: RawSeverity { get }
    /// How to fix it.
    var howToFix: String { get }
    /// Where the rule's reference lives; `nil` for none.
    var helpURL: String? { get }
    /// The standards the rule checks (a section of HTML or the Open Graph protocol, an RFC).
    var standards: [StandardReference] { get }
    /// The report category of the rule.
    static var category: ReportCategory { get }
}

extension MarkupRule {
    /// No reference page.
    var helpURL: String? { nil }

    /// A finding of this rule on `url`.
    func finding(url: String, message: String, selector: String? = nil, html: String? = nil) -> ScannerFinding {
        ScannerFinding(
            ruleId: id, title: title, message: message, severity: rawSeverity.severity,
            severityRaw: rawSeverity.rawValue, url: url, selector: selector, html: html, howToFix: howToFix,
            helpUrl: helpURL, standards: standards, category: Self.category)
    }

    /// The rule as the scanner declares it for the score.
    var descriptor: RuleDescriptor {
        RuleDescriptor(
            id: id, title: title, severity: rawSeverity.severity, category: Self.category, standards: standards, helpUrl: helpURL)
    }
}

extension MarkupRule where Self: CaseIterable {
    /// Every rule, declared.
    static var descriptors: [RuleDescriptor] { allCases.map(\.descriptor) }
}

extension MarkupRule where Self: RawRepresentable, RawValue == String {
    /// The case's raw value.
    var id: String { rawValue }
}
