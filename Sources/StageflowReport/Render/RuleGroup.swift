import StageflowAPI

/// The issues of one scanner rule (one per page), as renderers group them.
struct RuleGroup {
    var scanner: String
    var ruleId: String
    var title: String
    var severity: Severity
    var issues: [Issue]
    var pageCount: Int

    /// Groups issues by scanner and rule: most severe first, then most issues, then by name.
    static func groups(of issues: [Issue]) -> [RuleGroup] {
        var order: [String] = []
        var groups: [String: RuleGroup] = [:]
        var pages: [String: Set<String>] = [:]
        for issue in issues {
            let key = issue.scanner + "/" + issue.ruleId
            if groups[key] == nil {
                order.append(key)
                groups[key] = RuleGroup(
                    scanner: issue.scanner, ruleId: issue.ruleId, title: issue.title, severity: issue.severity, issues: [],
                    pageCount: 0
                )
            }
            groups[key]!.issues.append(issue)
            if issue.severity > groups[key]!.severity { groups[key]!.severity = issue.severity }
            pages[key, default: []].insert(issue.pageId)
        }
        return order.map { key in
            var group = groups[key]!
            group.pageCount = pages[key]?.count ?? 0
            return group
        }.sorted { lhs, rhs in
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            if lhs.issues.count != rhs.issues.count { return lhs.issues.count > rhs.issues.count }
            return (lhs.scanner, lhs.ruleId) < (rhs.scanner, rhs.ruleId)
        }
    }
}

extension Severity {
    /// Capitalised name for display.
    var displayName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}
