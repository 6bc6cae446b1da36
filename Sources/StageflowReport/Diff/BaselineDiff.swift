/// Compares a report with a baseline report by fingerprint.
///
/// Each issue is identified by its id and the ids merged into it (`mergedIds`), so a problem does not
/// count as new, or fixed, merely because deduplication kept a different scanner's finding this time.
/// - new: current issues none of whose ids are in the baseline;
/// - unchanged: current issues with an id in the baseline;
/// - fixed: baseline issues with no id among the current issues, whose scanner completed (success or
///   partial) in this run and visited the issue's page (a scanner that lists no pages at all counts as
///   having visited every page);
/// - unverified: the other missing baseline issues — their scanner failed, was skipped or did not visit
///   the page, so this run cannot say whether they are fixed.
public enum BaselineDiff {
    /// The diff of `report` against `baseline`.
    public static func compare(_ report: Report, with baseline: Report) -> ReportDiff {
        var baselineIndex: [String: Int] = [:]
        baselineIndex.reserveCapacity(baseline.issues.count)
        for (position, issue) in baseline.issues.enumerated() {
            baselineIndex[issue.id] = position
            for merged in issue.mergedIds where baselineIndex[merged] == nil { baselineIndex[merged] = position }
        }

        var matched = Array(repeating: false, count: baseline.issues.count)
        var new: [String] = []
        var unchanged: [String] = []
        for issue in report.issues {
            var found = false
            if let position = baselineIndex[issue.id] {
                matched[position] = true
                found = true
            }
            for merged in issue.mergedIds {
                if let position = baselineIndex[merged] {
                    matched[position] = true
                    found = true
                }
            }
            if found { unchanged.append(issue.id) } else { new.append(issue.id) }
        }

        let completed = Set(report.scanners.filter { $0.status.completed }.map(\.id))
        let listsNoPages = Set(report.scanners.filter { $0.pagesScanned == 0 }.map(\.id))
        var visited: Set<String> = []
        for page in report.pages {
            for scanner in page.scanners { visited.insert(page.id + "|" + scanner) }
        }

        var fixed: [BaselineIssue] = []
        var unverified: [String] = []
        for (position, issue) in baseline.issues.enumerated() where !matched[position] {
            let rechecked =
                completed.contains(issue.scanner)
                && (listsNoPages.contains(issue.scanner) || visited.contains(issue.pageId + "|" + issue.scanner))
            if rechecked {
                fixed.append(
                    BaselineIssue(
                        id: issue.id, scanner: issue.scanner, ruleId: issue.ruleId, title: issue.title, url: issue.url,
                        severity: issue.severity
                    )
                )
            } else {
                unverified.append(issue.id)
            }
        }
        return ReportDiff(
            baselineJobId: baseline.meta.jobId, baselineScore: baseline.summary.score,
            baselineGrade: baseline.summary.grade, new: new.sorted(), unchanged: unchanged.sorted(),
            fixed: fixed.sorted { $0.id < $1.id }, unverified: unverified.sorted()
        )
    }
}
