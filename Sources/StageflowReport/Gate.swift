import StageflowAPI

/// The CI gate of `--fail-on` and `--fail-on-new`.
///
/// `failOn` fails when any issue is at or above that severity. `failOnNew` fails when any issue new since
/// the baseline is at or above that severity; without a baseline (no `diff` in the report) every issue is
/// new, so it acts like `failOn`. Whether the scan itself failed (``ReportStatus/failed``) is the caller's
/// concern (exit code 2), not the gate's.
public enum Gate {
    /// Evaluates the gate; `nil` thresholds are not checked.
    public static func evaluate(_ report: Report, failOn: Severity?, failOnNew: Severity?) -> GateResult {
        var reasons: [String] = []
        if let failOn {
            let counts = counts(of: report.issues, atOrAbove: failOn)
            if counts.total > 0 {
                reasons.append("\(describe(counts, total: counts.total)) at or above \(failOn.rawValue) (--fail-on \(failOn.rawValue))")
            }
        }
        if let failOnNew {
            let newIssues: [Issue]
            if let diff = report.diff {
                let newIds = Set(diff.new)
                newIssues = report.issues.filter { newIds.contains($0.id) }
            } else {
                newIssues = report.issues
            }
            let counts = counts(of: newIssues, atOrAbove: failOnNew)
            if counts.total > 0 {
                let since = report.diff.map { "since baseline \($0.baselineJobId)" } ?? "(no baseline: every issue is new)"
                reasons.append(
                    "\(describe(counts, total: counts.total, adjective: "new ")) at or above \(failOnNew.rawValue) \(since) (--fail-on-new \(failOnNew.rawValue))"
                )
            }
        }
        return GateResult(passed: reasons.isEmpty, reasons: reasons)
    }

    private static func counts(of issues: [Issue], atOrAbove threshold: Severity) -> SeverityCounts {
        var counts = SeverityCounts()
        for issue in issues where issue.severity >= threshold { counts[issue.severity] += 1 }
        return counts
    }

    private static func describe(_ counts: SeverityCounts, total: Int, adjective: String = "") -> String {
        let parts = Severity.allCases.filter { counts[$0] > 0 }.map { "\(counts[$0]) \($0.rawValue)" }
        return "\(total) \(adjective)\(total == 1 ? "issue" : "issues") (\(parts.joined(separator: ", ")))"
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
