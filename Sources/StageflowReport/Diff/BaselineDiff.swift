/// Compares a report with a baseline report by element fingerprint.
///
/// Issues are one per rule per page, but the diff looks at their elements (occurrences), each identified by
/// its fingerprint and the fingerprints merged into it (`mergedIds`), so a new failing element of a known
/// issue is new, and an element does not count as new, or fixed, merely because deduplication kept a
/// different scanner's finding this time. Items that need review take no part.
/// - new: current elements none of whose ids are in the baseline; `newIssues` lists the issues having one;
/// - unchanged: current elements with an id in the baseline;
/// - fixed: baseline elements with no id among the current ones, whose scanner completed (success or partial)
///   in this run and visited the element's page (a scanner that lists no pages at all counts as having
///   visited every page);
/// - unverified: the other missing baseline elements — their scanner failed, was skipped or did not visit
///   the page, so this run cannot say whether they are fixed.
///
/// A contract 2 baseline (one issue per element) compares the same way: its issue ids are its element
/// fingerprints.
public enum BaselineDiff {
    /// The diff of `report` against `baseline`.
    public static func compare(_ report: Report, with baseline: Report) -> ReportDiff {
        var baselineElements: [(issue: Int, id: String)] = []
        var baselineIndex: [String: Int] = [:]
        for (position, issue) in baseline.issues.enumerated() {
            for occurrence in issue.occurrences where baselineIndex[occurrence.id] == nil {
                baselineIndex[occurrence.id] = baselineElements.count
                baselineElements.append((position, occurrence.id))
            }
        }
        for issue in baseline.issues {
            for occurrence in issue.occurrences {
                let element = baselineIndex[occurrence.id]!
                for merged in occurrence.mergedIds where baselineIndex[merged] == nil { baselineIndex[merged] = element }
            }
        }

        var matched = Array(repeating: false, count: baselineElements.count)
        var new: Set<String> = []
        var unchanged: Set<String> = []
        var newIssues: [String] = []
        for issue in report.issues {
            var seen: Set<String> = []
            var issueIsNew = false
            for occurrence in issue.occurrences where seen.insert(occurrence.id).inserted {
                var found = false
                for id in [occurrence.id] + occurrence.mergedIds {
                    if let element = baselineIndex[id] {
                        matched[element] = true
                        found = true
                    }
                }
                if found { unchanged.insert(occurrence.id) } else { new.insert(occurrence.id) }
                if !found { issueIsNew = true }
            }
            if issueIsNew { newIssues.append(issue.id) }
        }

        let completed = Set(report.scanners.filter { $0.status.completed }.map(\.id))
        let listsNoPages = Set(report.scanners.filter { $0.pagesScanned == 0 }.map(\.id))
        var visited: Set<String> = []
        for page in report.pages {
            for scanner in page.scanners { visited.insert(page.id + "|" + scanner) }
        }

        var fixed: [BaselineIssue] = []
        var unverified: [String] = []
        for (element, entry) in baselineElements.enumerated() where !matched[element] {
            let issue = baseline.issues[entry.issue]
            let rechecked =
                completed.contains(issue.scanner)
                && (listsNoPages.contains(issue.scanner) || visited.contains(issue.pageId + "|" + issue.scanner))
            if rechecked {
                let selector = issue.occurrences.first { $0.id == entry.id }?.selector
                fixed.append(
                    BaselineIssue(
                        id: entry.id, issueId: issue.id, scanner: issue.scanner, ruleId: issue.ruleId, title: issue.title,
                        url: issue.url, severity: issue.severity, selector: selector
                    )
                )
            } else {
                unverified.append(entry.id)
            }
        }
        return ReportDiff(
            baselineJobId: baseline.meta.jobId, baselineScore: baseline.summary.score,
            baselineGrade: baseline.summary.grade, new: new.sorted(), unchanged: unchanged.sorted(),
            fixed: fixed.sorted { $0.id < $1.id }, unverified: unverified.sorted(), newIssues: newIssues.sorted()
        )
    }
}
