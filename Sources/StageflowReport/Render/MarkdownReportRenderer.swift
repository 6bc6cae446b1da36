import Foundation
import StageflowAPI

/// Renders a report as Markdown for a pull-request comment: the score line (or why there is none), the
/// gate outcome, the category scores with what costs the most points, a severity table, issues with new
/// elements first, the top rules, and the full list, the items that need review and scanner status in
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
        if let score = summary.score {
            lines.append("## Stageflow scan: \(format(score)) / 100 (grade \(summary.grade ?? ReportScore.grade(for: score)))\(summary.partial ? ", partial" : "")")
        } else {
            lines.append("## Stageflow scan: no score")
        }
        lines.append("")
        var facts = [
            TextEscaping.markdownCode(report.meta.baseUrl),
            "\(summary.totalIssues) \(summary.totalIssues == 1 ? "issue" : "issues") (\(summary.occurrences) \(summary.occurrences == 1 ? "element" : "elements")) on \(summary.pagesWithIssues) of \(summary.pagesScanned) pages",
            "\(summary.needsReview) to review",
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
        if let note = summary.scoreNote {
            lines.append("")
            lines.append("> " + TextEscaping.markdown(note))
        }
        let failures = report.scanners.filter { $0.status == .failed || $0.status == .partial }
        if !failures.isEmpty {
            lines.append("")
            let names = failures.map { "\(TextEscaping.markdownCode($0.id)) \($0.status.rawValue)" }
            lines.append("> **Incomplete:** " + names.joined(separator: ", ") + " (see Scanners below)")
        }

        let newIds = report.diff.map { Set($0.new) }
        let isNew = { (issue: Issue) -> Bool in
            guard let newIds, let diff = report.diff else { return false }
            return diff.isNew(issue, among: newIds)
        }
        if let diff = report.diff {
            lines.append("")
            var line = "**Since baseline \(TextEscaping.markdownCode(diff.baselineJobId)):** \(diff.counts.newIssues) \(diff.counts.newIssues == 1 ? "issue" : "issues") with new elements"
            line += " · elements: \(diff.counts.new) new · \(diff.counts.fixed) fixed · \(diff.counts.unchanged) unchanged"
            if diff.counts.unverified > 0 { line += " · \(diff.counts.unverified) not re-checked" }
            if let before = diff.baselineScore, let now = summary.score { line += " (score \(format(before)) → \(format(now)))" }
            lines.append(line)
        }

        if !summary.categories.isEmpty {
            lines.append("")
            lines.append("| Category | Score | What costs the most points |")
            lines.append("| --- | ---: | --- |")
            for category in summary.categories {
                let score = category.score.map { format($0) + (category.status == .partial ? " (partial)" : "") } ?? "no score"
                var costs = category.topRules.prefix(5).map { cost in
                    "\(TextEscaping.markdown(cost.title)) −\(format(cost.points))"
                }.joined(separator: "; ")
                if category.score == nil { costs = TextEscaping.markdown(category.reason ?? "") }
                lines.append("| \(category.title) | \(score) | \(costs.replacingOccurrences(of: "|", with: "\\|")) |")
            }
            lines.append("")
            lines.append("<sub>Each category weighs its rules by impact and scores the share of pages that pass each; Performance uses Lighthouse's curves. See docs/scoring.md.</sub>")
        }

        lines.append("")
        lines.append(newIds == nil ? "| Severity | Issues |" : "| Severity | Issues | With new elements |")
        lines.append(newIds == nil ? "| --- | ---: |" : "| --- | ---: | ---: |")
        for severity in Severity.allCases {
            var row = "| \(severity.displayName) | \(summary.bySeverity[severity]) |"
            if newIds != nil {
                let count = report.issues.lazy.filter { $0.severity == severity && isNew($0) }.count
                row += " \(count) |"
            }
            lines.append(row)
        }

        if newIds != nil {
            let newIssues = report.issues.filter(isNew)
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
            lines.append("| Severity | Rule | Pages | Elements | Scanner |")
            lines.append("| --- | --- | ---: | ---: | --- |")
            for group in groups.prefix(topCount) {
                let elements = group.issues.reduce(0) { $0 + $1.occurrences.count }
                lines.append(
                    "| \(group.severity.displayName) | \(TextEscaping.markdown(group.title)) (\(TextEscaping.markdownCode(group.ruleId, inTable: true))) | \(group.pageCount) | \(elements) | \(TextEscaping.markdownCode(group.scanner, inTable: true)) |"
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
                let standards = group.issues.first?.standards.map(\.shortLabel) ?? []
                if !standards.isEmpty { heading += " · " + TextEscaping.markdown(standards.joined(separator: ", ")) }
                if let help = group.issues.first?.helpUrl, let link = TextEscaping.linkTarget(help) {
                    heading += " · [docs](\(link))"
                }
                lines.append(heading)
                lines.append("")
                for issue in group.issues.prefix(maxListedIssues - listed) {
                    var item = "- \(TextEscaping.markdownCode(issue.url))"
                    if let selector = issue.primarySelector { item += " \(TextEscaping.markdownCode(selector))" }
                    if issue.occurrences.count > 1 { item += " and \(issue.occurrences.count - 1) more" }
                    item += " · \(TextEscaping.markdownCode(issue.id))"
                    if !issue.alsoDetectedBy.isEmpty { item += " · also " + issue.alsoDetectedBy.map { TextEscaping.markdownCode($0) }.joined(separator: ", ") }
                    if isNew(issue) { item += " · **new**" }
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

        if !report.needsReview.isEmpty {
            lines.append("")
            lines.append("<details>")
            lines.append("<summary>Needs review (\(report.needsReview.count)): not issues, not in the score</summary>")
            lines.append("")
            for group in RuleGroup.groups(of: report.needsReview).prefix(topCount * 2) {
                let elements = group.issues.reduce(0) { $0 + $1.occurrences.count }
                lines.append(
                    "- \(TextEscaping.markdown(group.title)) · \(TextEscaping.markdownCode(group.scanner + "/" + group.ruleId)) · \(group.pageCount) \(group.pageCount == 1 ? "page" : "pages"), \(elements) \(elements == 1 ? "element" : "elements")"
                )
            }
            lines.append("")
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
        lines.append("| Scanner | Status | Issues | Needs review | Pages | Error |")
        lines.append("| --- | --- | ---: | ---: | ---: | --- |")
        for scanner in report.scanners {
            let error = scanner.error.map { TextEscaping.markdown(TextEscaping.truncated($0, to: 200)) } ?? ""
            lines.append("| \(TextEscaping.markdownCode(scanner.id, inTable: true)) | \(scanner.status.rawValue) | \(scanner.issues) | \(scanner.needsReview) | \(scanner.pagesScanned) | \(error) |")
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
