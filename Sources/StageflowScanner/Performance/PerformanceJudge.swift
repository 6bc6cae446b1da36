import Foundation
import StageflowReport

/// The performance scanner's decisions: scores a page's metrics on Lighthouse's curves and turns metrics over
/// budget, and an overall score below the minimum, into findings.
///
/// Raw severities: `warning` when the metric (or overall) score is below 0.5 — Lighthouse's red range — or, for
/// the request count, which has no curve, when it is more than twice the budget; `notice` otherwise.
struct PerformanceJudge: Sendable {
    /// Whose control points apply.
    let formFactor: LighthouseScoring.FormFactor
    /// Budgets with defaults resolved.
    let budgets: PerformanceBudgets
    /// The overall score below which a page gets a `performance-score` finding.
    let minScore: Double

    /// The scores of one page.
    struct Verdict: Sendable, Hashable {
        /// The measured figures.
        var metrics: PerformanceMetrics
        /// Score (0…1) of each measured metric that has a curve.
        var scores: [LighthouseScoring.Metric: Double]
        /// The weighted overall score, `nil` when no weighted metric was measured.
        var overall: Double?

        /// All figures in one line: `FCP 812 ms (0.99), LCP …`.
        var summary: String {
            var parts: [String] = []
            for metric in [LighthouseScoring.Metric.fcp, .lcp, .tbt, .cls, .ttfb] {
                let name = PerformanceJudge.abbreviation(metric)
                guard let value = metrics.value(of: metric) else {
                    parts.append("\(name) not measured")
                    continue
                }
                let score = scores[metric].map { " (\(PerformanceJudge.formatScore($0)))" } ?? ""
                parts.append("\(name) \(PerformanceJudge.format(value, of: metric))\(score)")
            }
            if let bytes = metrics.transferBytes { parts.append(PerformanceJudge.formatBytes(bytes) + " transferred") }
            if let requests = metrics.requestCount { parts.append("\(requests) request\(requests == 1 ? "" : "s")") }
            return parts.joined(separator: ", ")
        }
    }

    /// Scores the metrics.
    func judge(_ metrics: PerformanceMetrics) -> Verdict {
        var scores: [LighthouseScoring.Metric: Double] = [:]
        for metric in LighthouseScoring.Metric.allCases {
            guard let value = metrics.value(of: metric) else { continue }
            scores[metric] = LighthouseScoring.logNormalScore(LighthouseScoring.curve(metric, formFactor: formFactor), value: value)
        }
        return Verdict(metrics: metrics, scores: scores, overall: LighthouseScoring.overallScore(scores))
    }

    /// Findings for metrics over budget, then the overall score when it is below the minimum.
    func findings(for verdict: Verdict, url: String) -> [ScannerFinding] {
        var findings: [ScannerFinding] = []
        let metrics = verdict.metrics
        for metric in [LighthouseScoring.Metric.fcp, .lcp, .tbt, .cls, .ttfb, .transferBytes] {
            guard let value = metrics.value(of: metric), let budget = budgets.value(of: metric), value > budget
            else { continue }
            let score = verdict.scores[metric] ?? 1
            let (rule, name, fix, help) = Self.rule(metric)
            findings.append(
                ScannerFinding(
                    ruleId: rule, title: "\(name) over budget",
                    message: "\(name) is \(Self.format(value, of: metric)), over the budget of \(Self.format(budget, of: metric)) "
                        + "(metric score \(Self.formatScore(score)) on Lighthouse's \(formFactor.rawValue) curve).",
                    severity: score < 0.5 ? .moderate : .minor, severityRaw: score < 0.5 ? "warning" : "notice", url: url,
                    howToFix: fix, helpUrl: help))
        }
        if let requests = metrics.requestCount, let budget = budgets.requestCount, requests > budget {
            let severe = requests > 2 * budget
            findings.append(
                ScannerFinding(
                    ruleId: "request-count-over-budget", title: "Request count over budget",
                    message: "The page made \(requests) requests, over the budget of \(budget) (request count has no "
                        + "Lighthouse score).",
                    severity: severe ? .moderate : .minor, severityRaw: severe ? "warning" : "notice", url: url,
                    howToFix: "Bundle small scripts and style sheets, inline tiny images, and drop third-party requests "
                        + "the page does not need.",
                    helpUrl: "https://developer.chrome.com/docs/lighthouse/performance/resource-summary"))
        }
        if let overall = verdict.overall, overall < minScore {
            // Speed Index is never measured here; the message says its share is spread over the others.
            let weighted = LighthouseScoring.Metric.allCases.filter { (LighthouseScoring.weights[$0] ?? 0) > 0 && $0 != .speedIndex }
            let missing = weighted.filter { verdict.scores[$0] == nil }.map(Self.abbreviation)
            let left = missing.isEmpty ? "" : "; not measured, so left out: \(missing.joined(separator: ", "))"
            findings.append(
                ScannerFinding(
                    ruleId: "performance-score", title: "Performance score below minimum",
                    message: "Performance score \(Self.percent(overall)) (\(formFactor.rawValue) curves, Lighthouse weights "
                        + "with Speed Index's share spread over the other metrics\(left)) is below the minimum of "
                        + "\(Self.percent(minScore)). \(verdict.summary).",
                    severity: overall < 0.5 ? .moderate : .minor, severityRaw: overall < 0.5 ? "warning" : "notice",
                    url: url,
                    howToFix: "Start with the metric with the lowest score: the largest weights are Total Blocking Time "
                        + "(30), Largest Contentful Paint (25) and Cumulative Layout Shift (25).",
                    helpUrl: "https://developer.chrome.com/docs/lighthouse/performance/performance-scoring"))
        }
        return findings
    }

    /// The rules the scanner checks on every page it measures, with their impact: the budget rules grade
    /// `moderate` at worst, the overall score likewise.
    static var rules: [RuleDescriptor] {
        let budgets = [LighthouseScoring.Metric.fcp, .lcp, .tbt, .cls, .ttfb, .transferBytes].map { metric -> RuleDescriptor in
            let (id, name, _, help) = rule(metric)
            return RuleDescriptor(
                id: id, title: "\(name) over budget", severity: .moderate, category: .performance,
                standards: [StandardReference(kind: .other, id: "lighthouse", title: "Lighthouse performance scoring", url: help)],
                helpUrl: help)
        }
        let scoring = "https://developer.chrome.com/docs/lighthouse/performance/performance-scoring"
        let lighthouse = [StandardReference(kind: .other, id: "lighthouse", title: "Lighthouse performance scoring", url: scoring)]
        return budgets + [
            RuleDescriptor(
                id: "request-count-over-budget", title: "Request count over budget", severity: .moderate, category: .performance,
                standards: lighthouse, helpUrl: "https://developer.chrome.com/docs/lighthouse/performance/resource-summary"),
            RuleDescriptor(
                id: "performance-score", title: "Performance score below minimum", severity: .moderate, category: .performance,
                standards: lighthouse, helpUrl: scoring),
        ]
    }

    /// Rule id, name, how to fix and documentation of a metric's budget rule.
    static func rule(_ metric: LighthouseScoring.Metric) -> (String, String, String, String) {
        switch metric {
        case .speedIndex:
            return (
                "speed-index-over-budget", "Speed Index",
                "Show content sooner during the load: cut render-blocking resources and defer what is below the fold.",
                "https://developer.chrome.com/docs/lighthouse/performance/speed-index")
        case .fcp:
            return (
                "fcp-over-budget", "First Contentful Paint",
                "Send less render-blocking CSS and script before the first paint, inline the critical CSS, and serve "
                    + "the document faster.", "https://web.dev/articles/fcp")
        case .lcp:
            return (
                "lcp-over-budget", "Largest Contentful Paint",
                "Make the largest element (often the hero image or heading) load early: preload it, compress and size "
                    + "images, do not lazy-load it, and cut render-blocking resources.", "https://web.dev/articles/lcp")
        case .tbt:
            return (
                "tbt-over-budget", "Total Blocking Time",
                "Split long JavaScript tasks, defer or remove unused script, and move heavy work off the main thread.",
                "https://web.dev/articles/tbt")
        case .cls:
            return (
                "cls-over-budget", "Cumulative Layout Shift",
                "Give images, videos, ads and embeds explicit dimensions, reserve space for late content, and do not "
                    + "insert content above what is already shown.", "https://web.dev/articles/cls")
        case .ttfb:
            return (
                "ttfb-over-budget", "Time to First Byte",
                "Speed up the server's response: cache rendered pages, use a CDN, and avoid redirects before the "
                    + "document.", "https://web.dev/articles/ttfb")
        case .transferBytes:
            return (
                "transfer-size-over-budget", "Total transfer size",
                "Compress text resources, serve images in modern formats at the size shown, and drop unused code and "
                    + "fonts.", "https://developer.chrome.com/docs/lighthouse/performance/total-byte-weight")
        }
    }

    static func abbreviation(_ metric: LighthouseScoring.Metric) -> String {
        switch metric {
        case .fcp: return "FCP"
        case .speedIndex: return "SI"
        case .lcp: return "LCP"
        case .tbt: return "TBT"
        case .cls: return "CLS"
        case .ttfb: return "TTFB"
        case .transferBytes: return "transfer size"
        }
    }

    static func format(_ value: Double, of metric: LighthouseScoring.Metric) -> String {
        switch metric {
        case .cls: return String(format: "%.3f", value)
        case .transferBytes: return formatBytes(value)
        default: return "\(Int(value.rounded())) ms"
        }
    }

    static func formatBytes(_ bytes: Double) -> String {
        if bytes >= 1024 * 1024 { return String(format: "%.1f MiB", bytes / (1024 * 1024)) }
        if bytes >= 1024 { return String(format: "%.0f KiB", bytes / 1024) }
        return "\(Int(bytes)) bytes"
    }

    static func formatScore(_ score: Double) -> String {
        String(format: "%.2f", score)
    }

    /// A 0…1 score as Lighthouse shows it: rounded to a whole number out of 100.
    static func percent(_ score: Double) -> String {
        "\(Int((score * 100).rounded()))"
    }
}
