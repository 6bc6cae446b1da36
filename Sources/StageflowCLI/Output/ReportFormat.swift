import ArgumentParser
import Foundation
import StageflowAPI
import StageflowReport

/// The renderings of `stageflowctl report -o …`.
public enum ReportFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// `report.json` as stored (contract 2.0.0).
    case json
    /// One self-contained HTML file with screenshots embedded.
    case html
    /// Markdown for a pull-request comment.
    case md
    /// SARIF 2.1.0 for code-scanning dashboards.
    case sarif
    /// JUnit XML, one test case per page and scanner.
    case junit
}

/// Who a report is for: which tab the HTML report opens on, and how much the Markdown says.
public enum ReportAudience: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Issues grouped by rule with selectors, HTML and how to fix them.
    case developer
    /// Page by page, in plain language, over the annotated screenshots.
    case content
    /// Score, trend, top risks and coverage.
    case executive

    /// The id of the HTML report's tab for this audience.
    var tabID: String { "tab-\(rawValue)" }

    /// Moves this audience's tab first in the HTML report's tab list, so that the report opens on it (the
    /// report's script selects the first tab). Text that has no such tab list is returned unchanged.
    public func selectingTab(in html: String) -> String {
        guard let start = html.range(of: "<div role=\"tablist\""),
            let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex)
        else { return html }
        let list = html[start.upperBound..<end.lowerBound]
        var buttons = list.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let opening = buttons.first, !opening.contains("<button"),
            let chosen = buttons.firstIndex(where: { $0.contains("id=\"\(tabID)\"") })
        else { return html }
        buttons.removeFirst()
        let chosenIndex = chosen - 1
        let button = buttons.remove(at: chosenIndex)
        buttons.insert(button, at: 0)
        buttons = buttons.enumerated().map { index, line in
            var line = line.replacingOccurrences(of: " aria-selected=\"true\"", with: " aria-selected=\"false\"")
                .replacingOccurrences(of: " tabindex=\"-1\"", with: "")
            if index == 0 {
                line = line.replacingOccurrences(of: " aria-selected=\"false\"", with: " aria-selected=\"true\"")
            } else {
                line = line.replacingOccurrences(of: " aria-selected=\"false\"", with: " aria-selected=\"false\" tabindex=\"-1\"")
            }
            return line
        }
        return String(html[..<start.upperBound]) + opening + "\n" + buttons.joined(separator: "\n") + "\n"
            + String(html[end.lowerBound...])
    }
}

/// Renders a report in one of the `ReportFormat`s.
public struct ReportRendering: Sendable {
    /// The format.
    public var format: ReportFormat
    /// The audience (HTML and Markdown only).
    public var audience: ReportAudience
    /// Screenshot bytes by object key, embedded in HTML.
    public var screenshots: [String: Data]
    /// The gate outcome, shown in Markdown.
    public var gate: GateResult?
    /// The lowest severity JUnit counts as a failure.
    public var junitThreshold: Severity

    /// A rendering.
    public init(
        format: ReportFormat, audience: ReportAudience = .developer, screenshots: [String: Data] = [:],
        gate: GateResult? = nil, junitThreshold: Severity = .serious
    ) {
        self.format = format
        self.audience = audience
        self.screenshots = screenshots
        self.gate = gate
        self.junitThreshold = junitThreshold
    }

    /// The rendered bytes; `stored` is `report.json` as the server keeps it, written as it is for `json`.
    public func render(_ report: Report, stored: Data) throws -> Data {
        switch format {
        case .json:
            var data = stored
            if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
            return data
        case .html:
            let html = HTMLReportRenderer(options: .init(screenshots: screenshots)).render(report)
            return Data((audience == .developer ? html : audience.selectingTab(in: html)).utf8)
        case .md:
            let renderer =
                audience == .executive
                ? MarkdownReportRenderer(topCount: 5, maxListedIssues: 0) : MarkdownReportRenderer()
            var text = renderer.render(report, gate: gate)
            if !text.hasSuffix("\n") { text += "\n" }
            return Data(text.utf8)
        case .sarif:
            var data = try SARIFRenderer().render(report)
            if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
            return data
        case .junit:
            return Data(JUnitRenderer(failureThreshold: junitThreshold).render(report).utf8)
        }
    }
}
