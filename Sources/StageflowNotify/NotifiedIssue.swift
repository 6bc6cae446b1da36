import Foundation
import StageflowAPI
import StageflowReport

/// One issue of a run named in a notification: rule, page, severity and where to read about it.
public struct NotifiedIssue: Sendable, Hashable {
    /// The scanner's rule id (`image-alt`).
    public var rule: String
    /// Short name of the rule.
    public var title: String
    /// The page it is on.
    public var page: String
    /// Its severity.
    public var severity: Severity
    /// The page's section of the run's report, when the report's address is known.
    public var link: String?

    /// An issue.
    public init(rule: String, title: String, page: String, severity: Severity, link: String? = nil) {
        self.rule = rule
        self.title = title
        self.page = page
        self.severity = severity
        self.link = link
    }

    /// The issues of `report` that its baseline did not have, most severe first (then by page and rule), each
    /// linked to its page in the report at `reportURL`. Empty when the report has no baseline.
    public static func newIssues(in report: Report, reportURL: String?) -> [NotifiedIssue] {
        guard let diff = report.diff else { return [] }
        // `newIssues` names issues by id; `new` names elements by fingerprint (reports diffed before `newIssues`
        // existed carry only these).
        let newIssueIDs = Set(diff.newIssues)
        let newElements = Set(diff.new)
        return report.issues.filter { issue in
            newIssueIDs.contains(issue.id) || issue.occurrences.contains { newElements.contains($0.id) }
        }
            .sorted { ($1.severity.rank, $0.url, $0.ruleId) < ($0.severity.rank, $1.url, $1.ruleId) }
            .map { issue in
                NotifiedIssue(
                    rule: issue.ruleId, title: issue.title, page: issue.url, severity: issue.severity,
                    link: reportURL.map { "\($0)#page-\(issue.pageId)" })
            }
    }
}
