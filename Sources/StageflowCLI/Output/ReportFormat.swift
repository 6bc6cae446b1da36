import ArgumentParser
import Foundation
import StageflowAPI
import StageflowReport

/// The renderings of `stageflowctl report -o …`.
public enum ReportFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// `report.json` as stored (contract 3.0.0).
    case json
    /// One self-contained HTML file with screenshots embedded: the same document the controller stores as
    /// `report.html`.
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

    /// The HTML report's audience.
    var htmlAudience: HTMLReportRenderer.Audience {
        switch self {
        case .developer: return .developer
        case .content: return .content
        case .executive: return .executive
        }
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
    /// Screenshots left out of the HTML to keep it small (their pages name the stored object).
    public var omittedScreenshots: Set<String> = []
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
            let options = HTMLReportRenderer.Options(
                screenshots: screenshots, audience: audience.htmlAudience, omittedScreenshots: omittedScreenshots)
            return Data(HTMLReportRenderer(options: options).render(report).utf8)
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
