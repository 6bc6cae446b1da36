import Foundation
import StageflowAPI

extension HTMLReportContext {
    /// The score (or why there is none), the category scores with the rules that cost the most points, the
    /// counts, the baseline trend and the severity breakdown.
    func overview() -> String {
        let summary = report.summary
        let completed = report.scanners.filter { $0.status.completed }.count
        let ran = report.scanners.filter { $0.status != .skipped }.count
        let scoreCard: String
        if let value = summary.score {
            scoreCard = "<div class=\"card\"><p class=\"muted\">Score\(summary.partial ? " (partial)" : "")</p><p class=\"score\">\(score(value))</p>"
                + "<p class=\"grade\">Grade \(h(summary.grade ?? ReportScore.grade(for: value)))</p></div>"
        } else {
            scoreCard = "<div class=\"card\"><p class=\"muted\">Score</p><p class=\"score\">–</p><p class=\"grade\">No score</p></div>"
        }
        var html = """
            <section aria-labelledby="overview-heading">
            <h2 id="overview-heading">Overview</h2>
            <div class="cards">
            \(scoreCard)
            <div class="card"><p class="muted">Issues</p><p class="score">\(summary.totalIssues)</p><p>\(summary.occurrences) \(summary.occurrences == 1 ? "element" : "elements") on \(summary.pagesWithIssues) of \(summary.pagesScanned) pages</p></div>
            <div class="card"><p class="muted">Needs review</p><p class="score">\(summary.needsReview)</p><p>not in the score</p></div>
            <div class="card"><p class="muted">Scanners</p><p class="score">\(completed)/\(ran)</p><p>completed</p></div>

            """
        if let diff = report.diff {
            html += """
                <div class="card"><p class="muted">Since baseline</p><p class="score">+\(diff.counts.new) / −\(diff.counts.fixed)</p>\
                <p>elements: \(diff.counts.new) new (in \(diff.counts.newIssues) \(diff.counts.newIssues == 1 ? "issue" : "issues")), \(diff.counts.fixed) fixed, \(diff.counts.unchanged) unchanged</p></div>

                """
        }
        html += "</div>\n"
        if let note = summary.scoreNote { html += "<p class=\"notice\" role=\"note\">\(h(note))</p>\n" }
        html += statusNotice()
        html += categoryTable()
        html += scoreExplanation()
        html += """
            <h3>Severity breakdown</h3>
            <div class="bar" aria-hidden="true">
            """
        for severity in Severity.allCases where summary.bySeverity[severity] > 0 {
            let share = Double(summary.bySeverity[severity]) / Double(max(1, summary.totalIssues)) * 100
            html += "<span class=\"sev-\(severity.rawValue)\" style=\"width:\(css(share))%\"></span>"
        }
        html += """
            </div>
            <table>
            <caption class="muted">Issues (one per rule per page) per severity</caption>
            <thead><tr><th scope="col">Severity</th><th scope="col" class="num">Issues</th>
            """
        if newIds != nil { html += "<th scope=\"col\" class=\"num\">With new elements</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for severity in Severity.allCases {
            html += "<tr><th scope=\"row\"><span class=\"sev sev-\(severity.rawValue)\">\(severity.displayName)</span></th>"
            html += "<td class=\"num\">\(summary.bySeverity[severity])</td>"
            if newIds != nil {
                let count = report.issues.lazy.filter { $0.severity == severity && self.isNew($0) }.count
                html += "<td class=\"num\">\(count)</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
        return html
    }

    /// Each category's score or why it has none, and the rules that cost it the most points.
    func categoryTable() -> String {
        let categories = report.summary.categories
        guard !categories.isEmpty else { return "" }
        var html = """
            <h3>Score by category</h3>
            <table>
            <thead><tr><th scope="col">Category</th><th scope="col" class="num">Score</th><th scope="col">Grade</th>\
            <th scope="col">What costs the most points</th></tr></thead>
            <tbody>

            """
        for category in categories {
            html += "<tr><th scope=\"row\">\(h(category.title))</th>"
            if let value = category.score {
                html += "<td class=\"num\">\(score(value))\(category.status == .partial ? " <span class=\"badge\">partial</span>" : "")</td>"
                html += "<td>\(h(category.grade ?? ""))</td><td>"
                if category.topRules.isEmpty {
                    html += "Nothing: every rule checked passed."
                } else {
                    html += "<ol class=\"costs\">"
                    for cost in category.topRules {
                        html += "<li>\(h(cost.title)) <code>\(h(cost.scanner))/\(h(cost.ruleId))</code>: −\(points(cost.points)) points"
                        html += " (fails on \(cost.pagesFailing) of \(cost.pagesChecked) \(cost.pagesChecked == 1 ? "page" : "pages"))</li>"
                    }
                    html += "</ol>"
                }
                if category.status == .partial, let reason = category.reason { html += "<p class=\"muted\">Partial: \(h(reason))</p>" }
                html += "</td></tr>\n"
            } else {
                let why = category.status == .noEvidence ? "No score: nothing to check" : "No score"
                html += "<td class=\"num\">–</td><td></td><td>\(why)\(category.reason.map { ": " + h($0) } ?? "").</td></tr>\n"
            }
        }
        html += "</tbody>\n</table>\n"
        return html
    }

    /// How the score works, in a few sentences, and where the formula is.
    func scoreExplanation() -> String {
        """
        <details class="explain"><summary>How the score works</summary>
        <p>Each category (Accessibility, Performance, SEO, Security, Links, Content, Social) scores 0–100. Within a \
        category every rule weighs by its impact (critical 10, serious 7, moderate 3, minor 1) and scores the share \
        of the pages it was checked on where it passed, so a rule failing on one element or on a hundred costs the \
        same on a page. Performance is the mean of the pages' Lighthouse performance scores (Lighthouse's metric \
        weights and log-normal curves). The overall score is the weighted mean of the categories that have a score \
        (Accessibility and Performance 3, SEO, Security and Links 2, Content and Social 1). Items that need review \
        are listed apart and never count. A category whose scanners failed has no score, and the overall score \
        then says it is partial. The formula in full: <code>docs/scoring.md</code> in the Stageflow repository.</p>
        </details>

        """
    }

    /// A warning when the report is partial or failed.
    func statusNotice() -> String {
        guard report.status != .complete else { return "" }
        let troubled = report.scanners.filter { $0.status == .failed || $0.status == .partial }
        let names = troubled.map { "<code>\(h($0.id))</code> \($0.status.rawValue)" }.joined(separator: ", ")
        let lead = report.status == .failed ? "No scanner completed; this report holds no usable results." : "Partial results:"
        return "<p class=\"notice\" role=\"note\"><strong>\(lead)</strong> \(names). Issues of the scanners that completed are shown; "
            + "see Scanners in the developer view for the errors.</p>\n"
    }

    /// A score with one decimal.
    func score(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Points with one decimal.
    func points(_ value: Double) -> String { String(format: "%.1f", value) }
}
