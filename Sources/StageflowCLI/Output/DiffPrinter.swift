import Foundation
import StageflowAPI
import StageflowReport

/// The text and JSON forms of `stageflowctl diff`.
public struct DiffPrinter: Sendable {
    /// The compared job.
    public var name: String
    /// The baseline job.
    public var baseline: String

    /// A printer.
    public init(name: String, baseline: String) {
        self.name = name
        self.baseline = baseline
    }

    /// `scanjobs/a against baseline scanjobs/b: 2 new, 1 fixed, 7 unchanged`, then the new and fixed elements
    /// (each with its issue's rule, page and title, and its selector).
    public func text(_ diff: ReportDiff, current: Report) -> String {
        var lines = ["scanjobs/\(name) against baseline scanjobs/\(baseline): \(counts(diff))"]
        var byElement: [String: (issue: Issue, selector: String?)] = [:]
        for issue in current.issues {
            if byElement[issue.id] == nil { byElement[issue.id] = (issue, nil) }
            for occurrence in issue.occurrences where byElement[occurrence.id]?.selector == nil {
                byElement[occurrence.id] = (issue, occurrence.selector)
            }
        }
        if !diff.new.isEmpty {
            lines.append("")
            lines.append("New (\(diff.new.count)):")
            for id in diff.new {
                guard let (issue, selector) = byElement[id] else { continue }
                lines.append(
                    line(id: id, severity: issue.severity, scanner: issue.scanner, rule: issue.ruleId, url: issue.url, title: issue.title, selector: selector))
            }
        }
        if !diff.fixed.isEmpty {
            lines.append("")
            lines.append("Fixed (\(diff.fixed.count)):")
            for issue in diff.fixed {
                lines.append(
                    line(id: issue.id, severity: issue.severity, scanner: issue.scanner, rule: issue.ruleId, url: issue.url, title: issue.title, selector: issue.selector))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2 new, 1 fixed, 7 unchanged` elements (and `, 3 not re-checked` when there are such).
    public func counts(_ diff: ReportDiff) -> String {
        var text = "\(diff.counts.new) new, \(diff.counts.fixed) fixed, \(diff.counts.unchanged) unchanged"
        if diff.counts.unverified > 0 { text += ", \(diff.counts.unverified) not re-checked" }
        return text
    }

    private func line(
        id: String, severity: Severity, scanner: String, rule: String, url: String, title: String, selector: String?
    ) -> String {
        var text = "  \(id)  \(severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(scanner)/\(rule)  \(url)  \(title)"
        if let selector { text += "  at \(selector)" }
        return text
    }

    /// `{job, baseline, counts, new: [issues with a new element], newElements: [ids], fixed: [elements],
    /// unchanged: [ids], unverified: [ids]}`.
    public func json(_ diff: ReportDiff, current: Report) throws -> String {
        struct Document: Encodable {
            var job: String
            var baseline: String
            var counts: DiffCounts
            var new: [Issue]
            var newElements: [String]
            var fixed: [BaselineIssue]
            var unchanged: [String]
            var unverified: [String]
        }
        let newIds = Set(diff.new)
        let document = Document(
            job: name, baseline: baseline, counts: diff.counts,
            new: current.issues.filter { diff.isNew($0, among: newIds) }.sorted { $0.id < $1.id }, newElements: diff.new,
            fixed: diff.fixed,
            unchanged: diff.unchanged, unverified: diff.unverified)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
