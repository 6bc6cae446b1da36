import Foundation
import StageflowAPI
import StageflowReport

/// The inline SVG pictures of a schedule's runs: a sparkline of the score (scaled to its own range) for the
/// schedules list, and a chart of score (a line, 0–100 on the left) and issue count (bars, on the right) per run
/// for the schedule's page. In the chart each score point links to the run's report and each bar to the run's
/// diff with the previous run; a failed run is a cross linking to its status page. Drawn on the server, so the
/// pages need no script for them.
struct ScoreChart {
    /// One run, oldest first on the chart.
    struct Point: Sendable {
        var job: String
        var label: String
        var score: Double?
        var issues: Int64?
        var failed: Bool
        var reportURL: String
        var diffURL: String?
        var statusURL: String
    }

    var points: [Point]

    /// A sparkline of the scores, or `nil` when no run has one.
    func sparkline() -> String? {
        let scored = points.compactMap(\.score)
        guard !scored.isEmpty else { return nil }
        let width = 100.0, height = 24.0
        let step = scored.count > 1 ? width / Double(scored.count - 1) : 0
        // Scaled to the scores' own range (at least 10 points), as sparklines are: small changes stay visible.
        let low = scored.min() ?? 0, span = max(10, (scored.max() ?? 0) - low)
        let floor = max(0, min(low, 100 - span))
        let coordinates = scored.enumerated().map { index, score in
            "\(Self.number(Double(index) * step)),\(Self.number(height - 2 - (score - floor) / span * (height - 4)))"
        }
        let label = "Score of the last \(scored.count) run\(scored.count == 1 ? "" : "s"): "
            + scored.map { String(Int($0.rounded())) }.joined(separator: ", ")
        let shape = scored.count == 1
            ? "<circle cx=\"50\" cy=\"\(coordinates[0].split(separator: ",")[1])\" r=\"2\"/>"
            : "<polyline points=\"\(coordinates.joined(separator: " "))\"/>"
        return "<svg class=\"sparkline\" viewBox=\"0 0 100 24\" width=\"100\" height=\"24\" role=\"img\" aria-label=\""
            + Self.escape(label) + "\">" + shape + "</svg>"
    }

    /// The chart of score and issues per run, or `nil` when there are no runs.
    func chart() -> String? {
        guard !points.isEmpty else { return nil }
        let width = 640.0, height = 240.0, left = 40.0, right = 44.0, top = 12.0, bottom = 28.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let slot = plotWidth / Double(points.count)
        let maxIssues = max(1, points.compactMap(\.issues).max() ?? 1)
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        func scoreY(_ score: Double) -> Double { top + plotHeight * (1 - min(max(score, 0), 100) / 100) }
        func issuesY(_ issues: Int64) -> Double { top + plotHeight * (1 - Double(issues) / Double(maxIssues)) }

        var svg = "<svg class=\"score-chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"chart-title\">"
        svg += "<title id=\"chart-title\">Score and issues of the last \(points.count) run\(points.count == 1 ? "" : "s"), oldest first</title>"
        // Axes and guides: score 0, 50, 100 on the left; issues 0 and the largest count on the right.
        for score in [0.0, 50, 100] {
            let y = Self.number(scoreY(score))
            svg += "<line class=\"guide\" x1=\"\(Int(left))\" x2=\"\(Int(width - right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
            svg += "<text class=\"axis\" x=\"\(Int(left - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Int(score))</text>"
        }
        svg += "<text class=\"axis issues-axis\" x=\"\(Int(width - right + 6))\" y=\"\(Self.number(issuesY(maxIssues)))\" dominant-baseline=\"middle\">\(maxIssues)</text>"
        svg += "<text class=\"axis issues-axis\" x=\"\(Int(width - right + 6))\" y=\"\(Self.number(issuesY(0)))\" dominant-baseline=\"middle\">0</text>"
        // Issue bars, each a link to the run's diff (or its report for the first run, which has none).
        for (index, point) in points.enumerated() {
            guard let issues = point.issues else { continue }
            let barWidth = max(2, min(24, slot * 0.5))
            let y = issuesY(issues)
            let bar = "<rect class=\"issues\" x=\"\(Self.number(x(index) - barWidth / 2))\" y=\"\(Self.number(y))\" width=\"\(Self.number(barWidth))\" "
                + "height=\"\(Self.number(top + plotHeight - y))\"><title>\(Self.escape(point.job)): \(issues) issue\(issues == 1 ? "" : "s")"
                + (point.diffURL == nil ? "" : ", compare with the previous run") + "</title></rect>"
            svg += "<a href=\"\(Self.escape(point.diffURL ?? point.reportURL))\">\(bar)</a>"
        }
        // The score line through the scored runs, then a linked point per run.
        let line = points.enumerated().compactMap { index, point in
            point.score.map { "\(Self.number(x(index))),\(Self.number(scoreY($0)))" }
        }
        if line.count > 1 { svg += "<polyline class=\"score-line\" points=\"\(line.joined(separator: " "))\"/>" }
        for (index, point) in points.enumerated() {
            if let score = point.score {
                svg += "<a href=\"\(Self.escape(point.reportURL))\"><circle class=\"score-point\" cx=\"\(Self.number(x(index)))\" "
                    + "cy=\"\(Self.number(scoreY(score)))\" r=\"5\"><title>\(Self.escape(point.job)): score \(Int(score.rounded())), "
                    + "open the report</title></circle></a>"
            } else if point.failed {
                let cx = x(index), cy = top + plotHeight - 8
                svg += "<a href=\"\(Self.escape(point.statusURL))\"><path class=\"failed-run\" d=\"M\(Self.number(cx - 5)) \(Self.number(cy - 5))"
                    + "l10 10m0 -10l-10 10\"><title>\(Self.escape(point.job)): failed</title></path></a>"
            }
            if points.count <= 12 || index % max(1, points.count / 8) == 0 {
                svg += "<text class=\"axis\" x=\"\(Self.number(x(index)))\" y=\"\(Int(height - 8))\" text-anchor=\"middle\">\(Self.escape(point.label))</text>"
            }
        }
        return svg + "</svg>"
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    static func escape(_ text: String) -> String { TextEscaping.html(text) }
}
