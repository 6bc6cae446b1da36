import Foundation
import StageflowAPI

/// What the HTML sections share: the report, lookups built once, and the screenshots.
struct HTMLReportContext {
    /// How a page's screenshot can be shown.
    struct Screenshot {
        /// CSS class carrying the image as a background, when the image can be drawn that way.
        var cssClass: String?
        /// The image as a URL (a `data:` URI or a link), for an `<img>` when the size is unknown.
        var source: String
        /// Size in CSS pixels, when known.
        var width: Double?
        var height: Double?
        /// The style rule defining `cssClass`.
        var styleRule: String?
    }

    let report: Report
    let options: HTMLReportRenderer.Options
    /// Element fingerprints new since the baseline, when there is one.
    let newIds: Set<String>?
    let groups: [RuleGroup]
    let reviewGroups: [RuleGroup]
    let issuesByPage: [String: [Issue]]
    let pagesById: [String: PageReport]
    let screenshots: [String: Screenshot]
    /// Pages shown in the content and design view: with issues first (most first), then the clean ones,
    /// up to the page limit.
    let contentPages: [PageReport]
    let contentPageIds: Set<String>

    init(report: Report, options: HTMLReportRenderer.Options) {
        self.report = report
        self.options = options
        newIds = report.diff.map { Set($0.new) }
        groups = RuleGroup.groups(of: report.issues)
        reviewGroups = RuleGroup.groups(of: report.needsReview)
        var byPage: [String: [Issue]] = [:]
        for issue in report.issues { byPage[issue.pageId, default: []].append(issue) }
        issuesByPage = byPage
        pagesById = Dictionary(report.pages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var screenshots: [String: Screenshot] = [:]
        for (index, page) in report.pages.enumerated() {
            guard let reference = page.screenshot else { continue }
            if let shot = Self.screenshot(reference, index: index, options: options) { screenshots[page.id] = shot }
        }
        self.screenshots = screenshots
        let sortedPages = report.pages.sorted { lhs, rhs in
            if lhs.issueCount != rhs.issueCount { return lhs.issueCount > rhs.issueCount }
            return lhs.url < rhs.url
        }
        contentPages = Array(sortedPages.prefix(options.maxPages))
        contentPageIds = Set(contentPages.map(\.id))
    }

    /// The style rules that carry the screenshots.
    func screenshotStyles() -> String {
        report.pages.compactMap { screenshots[$0.id]?.styleRule }.joined(separator: "\n")
    }

    func isNew(_ issue: Issue) -> Bool {
        guard let newIds, let diff = report.diff else { return false }
        return diff.isNew(issue, among: newIds)
    }

    // MARK: - Evidence

    /// A crop of the page screenshot around `box`, with the box outlined; `nil` without a sized screenshot.
    func crop(_ box: BoundingBox, page pageId: String, severity: Severity, label: String) -> String? {
        guard let shot = screenshots[pageId], let cssClass = shot.cssClass, let width = shot.width, let height = shot.height,
            box.width >= 0, box.height >= 0
        else { return nil }
        let padding = 24.0
        let left = max(0, box.x - padding)
        let top = max(0, box.y - padding)
        let cropWidth = min(width, box.x + box.width + padding) - left
        let cropHeight = min(height, box.y + box.height + padding) - top
        guard cropWidth > 0, cropHeight > 0 else { return nil }
        let scale = min(1, 480 / cropWidth, 280 / cropHeight)
        let style =
            "width:\(css(cropWidth * scale))px;height:\(css(cropHeight * scale))px;"
            + "background-size:\(css(width * scale))px \(css(height * scale))px;"
            + "background-position:-\(css(left * scale))px -\(css(top * scale))px"
        let outline =
            "left:\(css((box.x - left) * scale - 3))px;top:\(css((box.y - top) * scale - 3))px;"
            + "width:\(css(box.width * scale + 6))px;height:\(css(box.height * scale + 6))px"
        return "<div class=\"crop \(cssClass)\" role=\"img\" aria-label=\"\(h(label))\" style=\"\(style)\">"
            + "<span class=\"box box-\(severity.rawValue)\" style=\"\(outline)\"></span></div>"
    }

    /// The page screenshot with numbered issue boxes.
    func annotatedScreenshot(_ page: PageReport, numbered issues: [Issue]) -> String {
        guard let shot = screenshots[page.id] else {
            if let key = page.screenshot?.key, options.omittedScreenshots.contains(key) {
                return "<p class=\"muted\">The screenshot of this page is not embedded, to keep this file small; it is stored as <code>\(h(key))</code>.</p>\n"
            }
            return "<p class=\"muted\">No screenshot available for this page.</p>\n"
        }
        var boxes = ""
        let sized = shot.cssClass != nil && shot.width != nil && shot.height != nil
        for (number, issue) in issues.enumerated() {
            for occurrence in issue.occurrences {
                guard let box = occurrence.boundingBox else { continue }
                let style: String
                if sized, let width = shot.width, let height = shot.height, width > 0, height > 0 {
                    style =
                        "left:\(css(box.x / width * 100))%;top:\(css(box.y / height * 100))%;"
                        + "width:\(css(box.width / width * 100))%;height:\(css(box.height / height * 100))%"
                } else {
                    style = "left:\(css(box.x))px;top:\(css(box.y))px;width:\(css(box.width))px;height:\(css(box.height))px"
                }
                boxes += "<span class=\"box box-\(issue.severity.rawValue)\" style=\"\(style)\" aria-hidden=\"true\">"
                    + "<span class=\"box-label\">\(number + 1)</span></span>"
            }
        }
        let label = "Screenshot of \(page.url) with \(issues.count) numbered issue \(issues.count == 1 ? "marker" : "markers")"
        if sized, let cssClass = shot.cssClass, let width = shot.width, let height = shot.height {
            return "<div class=\"shot-frame\" tabindex=\"0\" role=\"group\" aria-label=\"Scrollable screenshot\"><div class=\"shot \(cssClass)\" role=\"img\" aria-label=\"\(h(label))\" "
                + "style=\"aspect-ratio:\(css(width)) / \(css(height))\">\(boxes)</div></div>\n"
        }
        return "<div class=\"shot-frame\" tabindex=\"0\" role=\"group\" aria-label=\"Scrollable screenshot\"><div class=\"shot-img\"><img src=\"\(h(shot.source))\" alt=\"\(h(label))\">\(boxes)</div></div>\n"
    }

    private static func screenshot(_ reference: ScreenshotReference, index: Int, options: HTMLReportRenderer.Options) -> Screenshot? {
        let cssClass = "shot-\(index)"
        if let bytes = options.screenshots[reference.key], let type = ImageSniffer.mediaType(of: bytes) {
            let pixels = ImageSniffer.pixelSize(of: bytes)
            let width = reference.width ?? pixels?.width
            let height = reference.height ?? pixels?.height
            let uri = "data:\(type);base64,\(bytes.base64EncodedString())"
            return Screenshot(
                cssClass: cssClass, source: uri, width: width, height: height,
                styleRule: ".\(cssClass){background-image:url(\"\(uri)\")}"
            )
        }
        if let link = options.screenshotLinks[reference.key], let target = TextEscaping.cssURL(link) {
            return Screenshot(
                cssClass: cssClass, source: target, width: reference.width, height: reference.height,
                styleRule: ".\(cssClass){background-image:url(\"\(target)\")}"
            )
        }
        return nil
    }
}
