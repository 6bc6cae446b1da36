import Crypto
import Foundation
import StageflowAPI

/// Renders a report as one self-contained HTML file: inline style and script, no external resources, and
/// a Content-Security-Policy that allows only that script (by hash), inline styles and images.
///
/// It is the one HTML rendering of a report: the controller stores it as `report.html` with the page
/// screenshots embedded (``ReportScreenshots``), and `stageflowctl report -o html` writes the same document.
///
/// Above three audience tabs sits the overview (the score or why there is none, each category's score with
/// the rules that cost it the most points, how the score works, counts, baseline trend, severity
/// breakdown). The developer tab groups issues by rule with their standards and elements (page, selector,
/// HTML, how to fix) and evidence crops cut from the page screenshots, with severity and text filters, then
/// the items that need review, scanner status, errors and artifacts. The content and design tab walks page by page, in plain language, through image,
/// text, link and form problems, over the annotated screenshot. The executive tab gives the score, the
/// trend against the baseline, the top risks and the coverage. Without script every tab is shown in turn.
///
/// Everything that comes from findings (selectors, HTML snippets, messages, URLs) is escaped; links are
/// written only for http(s) URLs.
public struct HTMLReportRenderer: Sendable {
    /// What to embed and how much to show.
    public struct Options: Sendable {
        /// Screenshot bytes by object key, embedded as `data:` URIs (PNG, JPEG or WebP).
        public var screenshots: [String: Data]
        /// Links to screenshots by object key, used for screenshots whose bytes are not given.
        public var screenshotLinks: [String: String]
        /// Occurrences listed per rule in the developer tab.
        public var maxOccurrencesPerRule: Int
        /// Evidence crops per rule in the developer tab.
        public var maxEvidenceCropsPerRule: Int
        /// Pages shown in the content and design tab.
        public var maxPages: Int
        /// Issues listed (and boxes drawn) per page.
        public var maxIssuesPerPage: Int
        /// Rules shown as top risks in the executive tab.
        public var topRisks: Int
        /// The tab the report opens on.
        public var audience: Audience
        /// Screenshots left out to keep the document small, by object key: their pages say so.
        public var omittedScreenshots: Set<String>

        /// Options.
        public init(
            screenshots: [String: Data] = [:], screenshotLinks: [String: String] = [:], maxOccurrencesPerRule: Int = 100,
            maxEvidenceCropsPerRule: Int = 6, maxPages: Int = 200, maxIssuesPerPage: Int = 100, topRisks: Int = 5,
            audience: Audience = .developer, omittedScreenshots: Set<String> = []
        ) {
            self.screenshots = screenshots
            self.screenshotLinks = screenshotLinks
            self.maxOccurrencesPerRule = maxOccurrencesPerRule
            self.maxEvidenceCropsPerRule = maxEvidenceCropsPerRule
            self.maxPages = maxPages
            self.maxIssuesPerPage = maxIssuesPerPage
            self.topRisks = topRisks
            self.audience = audience
            self.omittedScreenshots = omittedScreenshots
        }
    }

    /// Who the report opens for: which tab is selected first.
    public enum Audience: String, Sendable, Hashable, CaseIterable {
        /// Issues grouped by rule with selectors, HTML and how to fix them.
        case developer
        /// Page by page, in plain language, over the annotated screenshots.
        case content
        /// Score, trend, top risks and coverage.
        case executive

        var tabLabel: String {
            switch self {
            case .developer: return "Developer"
            case .content: return "Content and design"
            case .executive: return "Executive summary"
            }
        }
    }

    /// What to embed and how much to show.
    public var options: Options

    /// A renderer.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// The HTML document.
    public func render(_ report: Report) -> String {
        let context = HTMLReportContext(report: report, options: options)
        let scriptHash = Data(SHA256.hash(data: Data(HTMLReportAssets.script.utf8))).base64EncodedString()
        let title = "Stageflow report: \(report.meta.baseUrl)"
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline'; script-src 'sha256-\(scriptHash)'; base-uri 'none'; form-action 'none'">
            <meta name="referrer" content="no-referrer">
            <meta name="generator" content="Stageflow report \(h(report.version))">
            <title>\(h(title))</title>
            <style>
            \(HTMLReportAssets.style)
            \(context.screenshotStyles())
            </style>
            </head>
            <body>
            <a class="skip" href="#main">Skip to the report</a>
            <header>
            <p class="brand">Stageflow</p>
            <h1>Scan report for \(h(report.meta.baseUrl))</h1>
            <p class="meta">Job <code>\(h(report.meta.jobName ?? report.meta.jobId))</code> · scanned \(h(report.meta.scannedAt)) · \
            \(formatDuration(report.meta.durationMs)) · report contract \(h(report.version))</p>
            </header>
            <main id="main">

            """
        html += context.overview()
        html += JourneyFilmstrip(journeys: report.journeys ?? [], options: options).html()
        // The chosen audience's tab first: the script selects the first tab.
        let order = [options.audience] + Audience.allCases.filter { $0 != options.audience }
        html += "<div role=\"tablist\" aria-label=\"Audience\" hidden>\n"
        for (index, audience) in order.enumerated() {
            let selected = index == 0 ? "aria-selected=\"true\"" : "aria-selected=\"false\" tabindex=\"-1\""
            html += "<button type=\"button\" role=\"tab\" id=\"tab-\(audience.rawValue)\" aria-controls=\"panel-\(audience.rawValue)\" \(selected)>\(audience.tabLabel)</button>\n"
        }
        html += "</div>\n\n"
        html += context.developerPanel()
        html += context.contentPanel()
        html += context.executivePanel()
        html += """
            </main>
            <footer>
            <p>Generated by Stageflow from report.json (contract \(h(report.version))) at \(h(report.meta.completedAt)). \
            Issue ids are fingerprints, stable across runs.</p>
            </footer>
            <script>\(HTMLReportAssets.script)</script>
            </body>
            </html>

            """
        return html
    }
}

/// Escapes text for HTML content and attributes.
func h(_ text: String) -> String { TextEscaping.html(text) }

/// `1 h 2 min`, `3 min 4 s`, `5.2 s`.
func formatDuration(_ milliseconds: Int64) -> String {
    let seconds = max(0, milliseconds) / 1000
    if seconds >= 3600 { return "\(seconds / 3600) h \(seconds % 3600 / 60) min" }
    if seconds >= 60 { return "\(seconds / 60) min \(seconds % 60) s" }
    return String(format: "%.1f s", Double(max(0, milliseconds)) / 1000)
}

/// A number for CSS, with at most three decimals.
func css(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
