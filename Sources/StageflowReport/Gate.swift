import StageflowAPI

/// The CI gate of `--fail-on`, `--fail-on-new`, `--fail-on-review` and `--standard`.
///
/// It counts issues — one per rule per page, whatever the number of elements. Accessibility issues count
/// only when they fail a success criterion of the chosen standard (``StandardFilter``, WCAG 2.2 AA by
/// default; best practice is reported but not gated unless the standard is `all`); issues of the other
/// categories always count.
/// - `failOn` fails when any such issue is at or above that severity.
/// - `failOnNew` fails when any such issue with an element new since the baseline is at or above that
///   severity; without a baseline (no `diff` in the report) every issue is new, so it acts like `failOn`.
/// - `failOnReview` counts items that need review too (never counted otherwise): at or above `failOn` when
///   that is set, else any at all.
///
/// Whether the scan itself failed, or has no score because nothing completed, is the caller's concern (exit
/// codes 2 and 3), not the gate's.
public enum Gate {
    /// Evaluates the gate; `nil` thresholds are not checked.
    public static func evaluate(
        _ report: Report, failOn: Severity?, failOnNew: Severity?, failOnReview: Bool = false,
        standard: StandardFilter = .wcag22aa
    ) -> GateResult {
        var reasons: [String] = []
        let gated = report.issues.filter(standard.includes)
        let excluded = report.issues.count - gated.count
        let scope = excluded == 0 ? "" : "; \(excluded) accessibility \(excluded == 1 ? "issue" : "issues") outside \(standard.displayName) not counted"
        if let failOn {
            let counts = counts(of: gated, atOrAbove: failOn)
            if counts.total > 0 {
                reasons.append("\(describe(counts, noun: "issue")) at or above \(failOn.rawValue) (--fail-on \(failOn.rawValue)\(scope))")
            }
        }
        if let failOnNew {
            let newIssues: [Issue]
            if let diff = report.diff {
                let newElements = Set(diff.new)
                newIssues = gated.filter { diff.isNew($0, among: newElements) }
            } else {
                newIssues = gated
            }
            let counts = counts(of: newIssues, atOrAbove: failOnNew)
            if counts.total > 0 {
                let since = report.diff.map { "since baseline \($0.baselineJobId)" } ?? "(no baseline: every issue is new)"
                reasons.append(
                    "\(describe(counts, noun: "issue", adjective: "new ")) at or above \(failOnNew.rawValue) \(since) (--fail-on-new \(failOnNew.rawValue)\(scope))"
                )
            }
        }
        if failOnReview {
            let threshold = failOn ?? .info
            let counts = counts(of: report.needsReview.filter(standard.includes), atOrAbove: threshold)
            if counts.total > 0 {
                let level = failOn.map { " at or above \($0.rawValue)" } ?? ""
                reasons.append("\(describe(counts, noun: "item")) needing review\(level) (--fail-on-review, \(standard.displayName))")
            }
        }
        return GateResult(passed: reasons.isEmpty, reasons: reasons)
    }

    private static func counts(of issues: [Issue], atOrAbove threshold: Severity) -> SeverityCounts {
        var counts = SeverityCounts()
        for issue in issues where issue.severity >= threshold { counts[issue.severity] += 1 }
        return counts
    }

    private static func describe(_ counts: SeverityCounts, noun: String, adjective: String = "") -> String {
        let parts = Severity.allCases.filter { counts[$0] > 0 }.map { "\(counts[$0]) \($0.rawValue)" }
        let total = counts.total
        return "\(total) \(adjective)\(noun)\(total == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
    }
}

/// The outcome of the gate.
public struct GateResult: Sendable, Hashable {
    /// `true` when no threshold was crossed.
    public var passed: Bool
    /// One sentence per threshold crossed.
    public var reasons: [String]

    /// A gate result.
    public init(passed: Bool, reasons: [String]) {
        self.passed = passed
        self.reasons = reasons
    }
}
