import StageflowAPI

/// How much a rule counts in its category: by its impact, as Lighthouse weighs axe-core's rules — critical
/// 10, serious 7, moderate 3, minor 1, informational 0 — except that an accessibility rule outside WCAG A and
/// AA (best practice, AAA only) weighs nothing when its impact is minor. A rule's weight never depends on how
/// many elements or pages fail it.
public enum RuleWeight {
    /// The weight of an impact.
    public static func weight(of severity: Severity) -> Double {
        switch severity {
        case .critical: return 10
        case .serious: return 7
        case .moderate: return 3
        case .minor: return 1
        case .info: return 0
        }
    }

    /// The weight of a rule with this impact, category and standards.
    public static func weight(severity: Severity, category: ReportCategory, standards: [StandardReference]) -> Double {
        if category == .accessibility, severity == .minor, !isWCAGAOrAA(standards) { return 0 }
        return weight(of: severity)
    }

    /// Whether the references include a WCAG success criterion of level A or AA.
    static func isWCAGAOrAA(_ standards: [StandardReference]) -> Bool {
        standards.contains { $0.kind == .wcag && ($0.level ?? .aaa) <= .aa }
    }
}
