import Foundation
import StageflowAPI

/// Renders a report as Markdown for a pull-request comment: the score line, the gate outcome, a severity
/// table, issues new since the baseline first, the top rules, and the full list and scanner status in
/// collapsed sections. Everything taken from findings is escaped or put in code spans.
public struct MarkdownReportRenderer: Sendable {
    /// Rules shown in "Top issues" (and new issues listed in full).
    public var topCount: Int
    /// Issues listed in the collapsed full list; the rest are counted.
    public var maxListedIssues: Int
    /// A link to the full HTML report, if there is one.
    public var reportURL: String?

    /// A renderer.
    public init(topCount: Int = 10, maxListedIssues: Int = 200, reportURL: String? = nil) {
        self.topCount = topCount
        self.maxListedIssues = maxListedIssues
        self.reportURL = reportURL
    }

    /// The Markdown text; `gate`, when given, is shown under the score line.
    public func render(_ report: Report, gate: GateResult? = nil) -> String {
        var lines: [String] = []
        let summary = report.summary
        lines.append("## Stageflow scan: \(format(summary.score)) / 100 (grade \(summary.grade))")
        lines.append("")
        var facts = [
            TextEscaping.markdownCode(report.meta.baseUrl),
            "\(summary.totalIssues) \(summary.totalIssues == 1 ? "issue" : "issues") on \(summary.pagesWithIssues) of \(summary.pagesScanned) pages",
        ]
        if report.status != .complete { facts.append("**report \(report.status.rawValue)**") }
        if let reportURL, let link = TextEscaping.linkTarget(reportURL) { facts.append("[full report](\(link))") }
        lines.append(facts.joined(separator: " · "))

        if let gate {
            lines.append("")
            if gate.passed {
                lines.append("> **Gate passed.**")
            } else {
                lines.append("> **Gate failed:** " + gate.reasons.map(TextEscaping.markdown).joined(separator: "; "))
            }
        }
        let failures = report.scanners.filter { $0.status == .failed || $0.status == .partial }
        if !failures.isEmpty {
            lines.append("")
            let names = failures.map { "\(TextEscaping.markdownCode($0.id)) \($0.status.rawValue)" }
            lines.append("> **Incomplete:** " + names.joined(separator: ", ") + " (see Scanners below)")
        }

        let newIds = report.diff.map { Set($0.new) }
        if let diff = report.diff {
            lines.append("")
            var line = "**Since baseline \(TextEscaping.markdownCode(diff.baselineJobId)):** \(diff.counts.new) new · \(diff.counts.fixed) fixed · \(diff.counts.unchanged) unchanged"
            if diff.counts.unverified > 0 { line += " · \(diff.counts.unverified) not re-checked" }
            if let before = diff.baselineScore { line += " (score \(format(before)) → \(format(summary.score)))" }
            lines.append(line)
        }

        lines.append("")
        lines.append(newIds == nil ? "| Severity | Issues |" : "| Severity | Issues | New |")
        lines.append(newIds == nil ? "| --- | ---: |" : "| --- | ---: | ---: |")
        for severity in Severity.allCases {
            var row = "| \(severity.displayName) | \(summary.bySeverity[severity]) |"
            if let newIds {
                let count = report.issues.lazy.filter { $0.severity == severity && newIds.contains($0.id) }.count
                row += " \(count) |"
            }
            lines.append(row)
        }

        if let newIds {
            let newIssues = report.issues.filter { newIds.contains($0.id) }
            lines.append("")
            lines.append("### New since baseline (\(newIssues.count))")
            lines.append("")
            if newIssues.isEmpty {
                lines.append("No new issues.")
            } else {
                lines.append(contentsOf: issueTable(Array(newIssues.prefix(topCount))))
                if newIssues.count > topCount { lines.append(contentsOf: ["", "…and \(newIssues.count - topCount) more new issues."]) }
            }
        }

        let groups = RuleGroup.groups(of: report.issues)
        if !groups.isEmpty {
            lines.append("")
            lines.append("### Top issues")
            lines.append("")
            lines.append("| Severity | Rule | Issues | Pages | Scanner |")
            lines.append("| --- | --- | ---: | ---: | --- |")
            for group in groups.prefix(topCount) {
                lines.append(
                    "| \(group.severity.displayName) | \(TextEscaping.markdown(group.title)) (\(TextEscaping.markdownCode(group.ruleId, inTable: true))) | \(group.issues.count) | \(group.pageCount) | \(TextEscaping.markdownCode(group.scanner, inTable: true)) |"
                )
            }
            if groups.count > topCount { lines.append(contentsOf: ["", "…and \(groups.count - topCount) more rules."]) }

            lines.append("")
            lines.append("<details>")
            lines.append("<summary>All issues (\(report.issues.count))</summary>")
            lines.append("")
            var listed = 0
            for group in groups where listed < maxListedIssues {
                var heading = "**\(TextEscaping.markdown(group.title))** · \(TextEscaping.markdownCode(group.scanner + "/" + group.ruleId)) · \(group.severity.rawValue)"
                if let help = group.issues.first?.helpUrl, let link = TextEscaping.linkTarget(help) {
                    heading += " · [docs](\(link))"
                }
                lines.append(heading)
                lines.append("")
                for issue in group.issues.prefix(maxListedIssues - listed) {
                    var item = "- \(TextEscaping.markdownCode(issue.url))"
                    if let selector = issue.primarySelector { item += " \(TextEscaping.markdownCode(selector))" }
                    item += " · \(TextEscaping.markdownCode(issue.id))"
                    if !issue.alsoDetectedBy.isEmpty { item += " · also " + issue.alsoDetectedBy.map { TextEscaping.markdownCode($0) }.joined(separator: ", ") }
                    if newIds?.contains(issue.id) == true { item += " · **new**" }
                    lines.append(item)
                    listed += 1
                }
                if let fix = group.issues.first?.howToFix {
                    lines.append("")
                    lines.append("  How to fix: " + TextEscaping.markdown(TextEscaping.truncated(fix, to: 400)))
                }
                lines.append("")
            }
            if report.issues.count > listed { lines.append(contentsOf: ["…and \(report.issues.count - listed) more in the full report.", ""]) }
            lines.append("</details>")
        }

        if let diff = report.diff, !diff.fixed.isEmpty {
            lines.append("")
            lines.append("<details>")
            lines.append("<summary>Fixed since baseline (\(diff.fixed.count))</summary>")
            lines.append("")
            for fixed in diff.fixed.prefix(maxListedIssues) {
                lines.append("- \(fixed.severity.rawValue) · \(TextEscaping.markdown(fixed.title)) · \(TextEscaping.markdownCode(fixed.url)) · \(TextEscaping.markdownCode(fixed.id))")
            }
            lines.append("")
            lines.append("</details>")
        }

        lines.append("")
        lines.append("<details>")
        lines.append("<summary>Scanners (\(report.scanners.count))</summary>")
        lines.append("")
        lines.append("| Scanner | Status | Issues | Pages | Error |")
        lines.append("| --- | --- | ---: | ---: | --- |")
        for scanner in report.scanners {
            let error = scanner.error.map { TextEscaping.markdown(TextEscaping.truncated($0, to: 200)) } ?? ""
            lines.append("| \(TextEscaping.markdownCode(scanner.id, inTable: true)) | \(scanner.status.rawValue) | \(scanner.issues) | \(scanner.pagesScanned) | \(error) |")
        }
        lines.append("")
        lines.append("</details>")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    private func issueTable(_ issues: [Issue]) -> [String] {
        var lines = ["| Severity | Rule | Page | Element |", "| --- | --- | --- | --- |"]
        for issue in issues {
            let element = issue.primarySelector.map { TextEscaping.markdownCode(TextEscaping.truncated($0, to: 120), inTable: true) } ?? "page"
            lines.append(
                "| \(issue.severity.displayName) | \(TextEscaping.markdown(issue.title)) (\(TextEscaping.markdownCode(issue.scanner + "/" + issue.ruleId, inTable: true))) | \(TextEscaping.markdownCode(issue.url, inTable: true)) | \(element) |"
            )
        }
        return lines
    }

    private func format(_ score: Double) -> String {
        String(format: "%.1f", score)
    }
}
