import StageflowAPI
import StageflowReport

/// Small reports for the gate, rendering and diff tests.
enum ReportFixtures {
    static func issue(_ id: String, _ severity: Severity, rule: String = "rule", url: String = "http://127.0.0.1/") -> Issue {
        Issue(
            id: id, pageId: "p1", url: url, scanner: "security-headers", ruleId: rule, title: "Title of \(rule)",
            message: "Message of \(rule)", severity: severity)
    }

    static func report(
        _ issues: [Issue], jobId: String = "uid-1", diff: ReportDiff? = nil, status: ReportStatus = .complete, score: Double? = 80
    ) -> Report {
        var counts = SeverityCounts()
        for issue in issues { counts[issue.severity] += 1 }
        return Report(
            status: status,
            meta: ReportMeta(
                jobId: jobId, jobName: "nightly", baseUrl: "http://127.0.0.1/", scannedAt: "2026-01-01T00:00:00Z",
                completedAt: "2026-01-01T00:00:05Z", durationMs: 5000),
            summary: ReportSummary(
                score: score, grade: score.map(ReportScore.grade(for:)), totalIssues: issues.count, bySeverity: counts, byScanner: ["security-headers": issues.count],
                pagesScanned: 1, pagesWithIssues: issues.isEmpty ? 0 : 1),
            scanners: [ScannerReport(id: "security-headers", status: .success, priority: 90, findings: issues.count, issues: issues.count, pagesScanned: 0)],
            pages: [PageReport(id: "p1", url: "http://127.0.0.1/", scanners: ["security-headers"], issueCount: issues.count, bySeverity: counts)],
            issues: issues, artifacts: [], errors: [], diff: diff)
    }
}
