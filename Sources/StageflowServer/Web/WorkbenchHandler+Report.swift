import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport

extension WorkbenchHandler {
    /// The stored unified report of a job, or why there is none to show.
    func storedReport(_ job: JSONValue) async -> (report: Report?, problem: String?) {
        guard let objectStore else { return (nil, "This server has no object store configured, so it cannot show reports.") }
        guard let uid = job[path: ["metadata", "uid"]]?.stringValue, let key = try? ObjectKeys.reportJSON(jobUID: uid) else {
            return (nil, "The scan has no uid yet.")
        }
        do {
            return (try Report.decode(from: try await objectStore.get(key)), nil)
        } catch let error as ObjectStoreError where error.kind == .notFound {
            let phase = job[path: ["status", "phase"]]?.stringValue ?? "Pending"
            return (nil, phase == "Done" || phase == "Failed" ? "The scan finished without a report." : "The report is not ready yet: the scan is \(phase).")
        } catch {
            return (nil, "The report could not be read: \(error)")
        }
    }

    /// The report page's context.
    func reportContext(_ job: JSONValue) async throws -> [String: Any] {
        let namespace = job[path: ["metadata", "namespace"]]?.stringValue ?? "default"
        let name = job[path: ["metadata", "name"]]?.stringValue ?? ""
        let uid = job[path: ["metadata", "uid"]]?.stringValue ?? ""
        var context: [String: Any] = [
            "namespace": namespace, "name": name,
            "statusURL": "/scans/\(Self.pathSegment(namespace))/\(Self.pathSegment(name))",
        ]
        let (stored, problem) = await storedReport(job)
        guard let report = stored else {
            context["problem"] = problem ?? "There is no report."
            return context
        }
        let newIDs = Set(report.diff?.new ?? [])
        let severities = Severity.allCases.map(\.rawValue)
        let counts = report.summary.bySeverity.dictionary
        context["report"] = true
        if let score = report.summary.score {
            context["score"] = String(Int(score.rounded()))
            context["grade"] = report.summary.grade ?? ""
        }
        context["partial"] = report.summary.partial
        if let note = report.summary.scoreNote { context["scoreNote"] = note }
        context["categories"] = report.summary.categories.map { category -> [String: Any] in
            var item: [String: Any] = [
                "title": category.title, "status": category.status.rawValue, "reason": category.reason ?? "",
                "costs": category.topRules.map { ["title": $0.title, "rule": "\($0.scanner)/\($0.ruleId)", "points": String(format: "%.1f", $0.points)] },
            ]
            item["categoryScore"] = category.score.map { String(format: "%.1f", $0) } ?? "no score"
            return item
        }
        context["reportStatus"] = report.status.rawValue
        if let key = try? ObjectKeys.reportHTML(jobUID: uid) {
            context["reportHTML"] = Self.artifactLink(namespace: namespace, name: name, uid: uid, key: key)
        }
        context["totalIssues"] = report.summary.totalIssues
        context["pagesScanned"] = report.summary.pagesScanned
        context["pagesWithIssues"] = report.summary.pagesWithIssues
        context["severities"] = severities.map { severity -> [String: Any] in ["severity": severity, "count": counts[severity] ?? 0] }

        let describe = { (issue: Issue) -> [String: Any] in
            var item: [String: Any] = [
                "id": issue.id, "title": issue.title, "message": issue.message, "severity": issue.severity.rawValue,
                "scanner": issue.scanner, "rule": issue.ruleId, "pageID": issue.pageId, "url": issue.url,
                "isNew": report.diff?.isNew(issue, among: newIDs) ?? false,
                "selectors": issue.occurrences.prefix(5).compactMap(\.selector),
                "occurrences": issue.occurrences.count,
                "hasSelectors": issue.occurrences.contains { $0.selector != nil },
            ]
            if let fix = issue.howToFix { item["howToFix"] = fix }
            if let help = issue.helpUrl, help.hasPrefix("https://") || help.hasPrefix("http://") { item["helpURL"] = help }
            if !issue.standards.isEmpty { item["wcag"] = issue.standards.map(\.shortLabel).joined(separator: ", ") }
            // The standard filters the issue counts under (the gate's --standard names).
            item["standards"] = StandardFilter.names.filter { StandardFilter(name: $0)?.includes(issue) == true }.joined(separator: " ")
            return item
        }
        let issues = report.issues.map(describe)
        context["issues"] = issues
        context["hasIssues"] = !issues.isEmpty
        context["reviews"] = report.needsReview.map(describe)
        context["reviewCount"] = report.needsReview.count
        context["filterScanners"] = Set(report.issues.map(\.scanner)).sorted()
        context["filterRules"] = Set(report.issues.map(\.ruleId)).sorted()
        context["filterStandards"] = StandardFilter.names
        context["filterPages"] = report.pages.map { ["id": $0.id, "url": $0.url] }
        context["hasBaseline"] = report.diff != nil

        // Content and design: issues by page, with the page's screenshot and where each issue is on it.
        context["pages"] = report.pages.map { page -> [String: Any] in
            var item: [String: Any] = [
                "id": page.id, "url": page.url, "title": page.title ?? page.url, "issueCount": page.issueCount,
                "status": page.httpStatus.map(String.init) ?? "–",
                "issues": report.issues.filter { $0.pageId == page.id }.map { ["title": $0.title, "severity": $0.severity.rawValue, "howToFix": $0.howToFix ?? ""] },
            ]
            if let shot = page.screenshot,
                let link = Self.artifactLink(namespace: namespace, name: name, uid: uid, key: shot.key)
            {
                item["screenshotURL"] = link
                let width = shot.width ?? 1280
                let height = shot.height ?? 800
                item["boxes"] = page.issueBoxes.compactMap { box -> [String: Any]? in
                    let b = box.boundingBox
                    guard width > 0, height > 0, b.width > 0, b.height > 0, b.y < height else { return nil }
                    func percent(_ value: Double, of whole: Double) -> String { String(format: "%.3f%%", max(0, min(100, value / whole * 100))) }
                    return [
                        "severity": box.severity.rawValue,
                        "style": "left:\(percent(b.x, of: width));top:\(percent(b.y, of: height));width:\(percent(b.width, of: width));height:\(percent(b.height, of: height))",
                        "title": report.issues.first { $0.id == box.issueId }?.title ?? box.issueId,
                    ]
                }
            }
            return item
        }

        // Executive summary: the headline numbers and the rules that cost the most points.
        context["topRules"] = report.summary.topRules.map { cost -> [String: Any] in
            ["rule": "\(cost.scanner)/\(cost.ruleId)", "title": cost.title, "points": String(format: "%.1f", cost.points), "category": cost.category.title]
        }

        context["scanners"] = report.scanners.map { scanner -> [String: Any] in
            [
                "id": scanner.id, "status": scanner.status.rawValue, "tool": scanner.toolVersion ?? "–",
                "findings": scanner.findings, "issues": scanner.issues, "error": scanner.error ?? "",
            ]
        }
        context["artifacts"] = report.artifacts.compactMap { artifact -> [String: Any]? in
            guard let link = Self.artifactLink(namespace: namespace, name: name, uid: uid, key: artifact.key) else { return nil }
            return ["key": artifact.key, "kind": artifact.kind, "scanner": artifact.scanner ?? "", "href": link]
        }
        context["hasProblems"] = !report.errors.isEmpty
        context["errors"] = report.errors.map { ["message": $0.message, "scanner": $0.scanner ?? "", "url": $0.url ?? ""] }

        // The diff against the baseline, when the job names one.
        if let baseline = job[path: ["spec", "baselineRef", "name"]]?.stringValue {
            var diff: [String: Any] = ["baseline": baseline]
            if let reportDiff = report.diff {
                diff["available"] = true
                diff["new"] = reportDiff.counts.new
                diff["fixed"] = reportDiff.counts.fixed
                diff["unchanged"] = reportDiff.counts.unchanged
                diff["baselineScore"] = reportDiff.baselineScore.map { String(Int($0.rounded())) } ?? "no score"
                diff["newIssues"] = report.issues.filter { reportDiff.isNew($0, among: newIDs) }.map { ["title": $0.title, "url": $0.url, "severity": $0.severity.rawValue] }
                diff["fixedIssues"] = reportDiff.fixed.map { ["title": $0.title, "url": $0.url, "severity": $0.severity.rawValue] }
            }
            context["diff"] = diff
        }
        return context
    }
}
