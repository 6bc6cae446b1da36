import Foundation
import StageflowAPI

extension HTMLReportContext {
    /// Score, grade, counts, scanner completion, baseline trend and the severity breakdown.
    func overview() -> String {
        let summary = report.summary
        let completed = report.scanners.filter { $0.status.completed }.count
        let ran = report.scanners.filter { $0.status != .skipped }.count
        var html = """
            <section aria-labelledby="overview-heading">
            <h2 id="overview-heading">Overview</h2>
            <div class="cards">
            <div class="card"><p class="muted">Score</p><p class="score">\(score(summary.score))</p><p class="grade">Grade \(h(summary.grade))</p></div>
            <div class="card"><p class="muted">Issues</p><p class="score">\(summary.totalIssues)</p><p>on \(summary.pagesWithIssues) of \(summary.pagesScanned) pages</p></div>
            <div class="card"><p class="muted">Scanners</p><p class="score">\(completed)/\(ran)</p><p>completed</p></div>

            """
        if let diff = report.diff {
            html += """
                <div class="card"><p class="muted">Since baseline</p><p class="score">+\(diff.counts.new) / −\(diff.counts.fixed)</p>\
                <p>\(diff.counts.new) new, \(diff.counts.fixed) fixed, \(diff.counts.unchanged) unchanged</p></div>

                """
        }
        html += "</div>\n"
        html += statusNotice()
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
            <caption class="muted">Deduplicated issues per severity</caption>
            <thead><tr><th scope="col">Severity</th><th scope="col" class="num">Issues</th>
            """
        if newIds != nil { html += "<th scope=\"col\" class=\"num\">New since baseline</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for severity in Severity.allCases {
            html += "<tr><th scope=\"row\"><span class=\"sev sev-\(severity.rawValue)\">\(severity.displayName)</span></th>"
            html += "<td class=\"num\">\(summary.bySeverity[severity])</td>"
            if let newIds {
                let count = report.issues.lazy.filter { $0.severity == severity && newIds.contains($0.id) }.count
                html += "<td class=\"num\">\(count)</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
        return html
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
}
