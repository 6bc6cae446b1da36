import Foundation
import StageflowReport

/// The `seo` checks of one page, run when it is created: `findings` holds what they found, `title` and
/// `description` what the cross-page checks compare. The document-level checks (status, title, description,
/// headings, language, viewport) are here; crawling directives (canonical, robots, hreflang) and content
/// (images, links, JSON-LD) are in extensions.
struct SEOPageAudit {
    let page: LoadedPage
    let tree: HTMLElementTree
    let settings: SEOSettings
    /// What the checks found, in check order.
    private(set) var findings: [ScannerFinding] = []
    /// The page's title with whitespace collapsed; `nil` without a `<title>`.
    private(set) var title: String?
    /// The page's meta description with whitespace collapsed; `nil` without one.
    private(set) var description: String?

    /// Runs every check on `page`.
    init(page: LoadedPage, settings: SEOSettings) {
        self.page = page
        self.tree = HTMLElementTree(html: page.html)
        self.settings = settings
        checkStatus()
        checkTitle()
        checkDescription()
        checkHeadings()
        checkLanguage()
        checkViewport()
        checkCanonical()
        checkRobots()
        checkHreflang()
        checkImages()
        checkLinks()
        checkStructuredData()
    }

    /// Adds a finding, on `element` when given (with its selector and start tag), else on the page.
    mutating func report(_ rule: SEORule, _ message: String, on element: HTMLElement? = nil) {
        findings.append(
            rule.finding(
                url: page.url, message: message, selector: element.map { tree.selector(for: $0) },
                html: element.map { tree.snippet(of: $0) }))
    }

    /// The URL relative references resolve against: the first `<base href>`, else where the page ended up.
    var baseURL: URL? {
        let final = URL(string: page.finalURL)
        guard let href = tree.first(named: "base")?.attribute("href"), let final else { return final }
        return URL(string: href.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: final)?.absoluteURL ?? final
    }

    /// Elements of a name that are HTML content (not inside `svg` or `math`, whose `title` is something else).
    func htmlElements(named name: String) -> [HTMLElement] {
        tree.elements(named: name).filter { !tree.isInside($0, anyOf: ["svg", "math"]) }
    }

    // MARK: - Document

    private mutating func checkStatus() {
        guard let status = page.status, status >= 400 else { return }
        report(.httpStatusError, "The page answered with HTTP status \(status).")
    }

    private mutating func checkTitle() {
        guard let element = htmlElements(named: "title").first else {
            report(.missingTitle, "The page has no <title> element.")
            return
        }
        let text = HTMLDocument.collapsingWhitespace(tree.rawText(of: element))
        title = text
        if text.isEmpty {
            report(.emptyTitle, "The page's <title> is empty.", on: element)
        } else if text.count > settings.maxTitleLength {
            report(
                .titleTooLong,
                "The title is \(text.count) characters long (more than \(settings.maxTitleLength)): \"\(text)\".",
                on: element)
        } else if let minimum = settings.minTitleLength, text.count < minimum {
            report(.titleTooShort, "The title is \(text.count) characters long (fewer than \(minimum)): \"\(text)\".", on: element)
        }
    }

    private mutating func checkDescription() {
        let element = htmlElements(named: "meta").first { metaName(of: $0) == "description" }
        guard let element else {
            report(.missingMetaDescription, "The page has no <meta name=\"description\">.")
            return
        }
        let text = HTMLDocument.collapsingWhitespace(element.attribute("content") ?? "")
        guard !text.isEmpty else {
            report(.missingMetaDescription, "The page's meta description is empty.", on: element)
            return
        }
        description = text
        if text.count > settings.maxDescriptionLength {
            report(
                .metaDescriptionTooLong,
                "The meta description is \(text.count) characters long (more than \(settings.maxDescriptionLength)).",
                on: element)
        }
    }

    /// The `name` of a `<meta>`, trimmed and lowercased.
    func metaName(of element: HTMLElement) -> String? {
        element.attribute("name")?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    private mutating func checkHeadings() {
        let headings = tree.elements.filter { element in
            HTMLTreeBuilder.headings.contains(element.name) && !tree.isInside(element, anyOf: ["svg", "math", "template"])
        }
        let level = { (element: HTMLElement) -> Int in Int(element.name.dropFirst()) ?? 0 }
        let ones = headings.filter { level($0) == 1 }
        if ones.isEmpty {
            report(.missingH1, "The page has no <h1> heading.")
        } else if ones.count > 1 {
            let texts = ones.prefix(3).map { "\"\(SEOSiteIndex.shortened(tree.text(of: $0), limit: 60))\"" }
            report(.multipleH1, "The page has \(ones.count) <h1> headings: \(texts.joined(separator: ", ")).", on: ones[1])
        }
        var previous: Int?
        for heading in headings {
            let current = level(heading)
            if let previous, current > previous + 1 {
                let text = SEOSiteIndex.shortened(tree.text(of: heading), limit: 80)
                report(
                    .headingHierarchy,
                    "<h\(current)> \"\(text)\" follows an <h\(previous)>, skipping level\(current - previous > 2 ? "s" : "") "
                        + (previous + 1..<current).map { "h\($0)" }.joined(separator: ", ") + ".",
                    on: heading)
            }
            previous = current
        }
    }

    private mutating func checkLanguage() {
        let root = tree.root
        let value = root.attribute("lang") ?? root.attribute("xml:lang")
        let lang = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if lang.isEmpty {
            report(.missingLang, root.isImplied ? "The page has no <html> element, so no lang." : "The <html> element has no lang attribute.")
        } else if LanguageTag(lang) == nil {
            report(.invalidLang, "lang=\"\(lang)\" is not a valid language tag.")
        }
    }

    private mutating func checkViewport() {
        guard let element = htmlElements(named: "meta").first(where: { metaName(of: $0) == "viewport" }) else {
            report(.missingViewport, "The page has no <meta name=\"viewport\">, so mobile browsers lay it out as a desktop page.")
            return
        }
        var properties: [String: String] = [:]
        for part in (element.attribute("content") ?? "").split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if pair.count == 2 { properties[pair[0]] = pair[1] }
        }
        if let scalable = properties["user-scalable"], ["no", "0"].contains(scalable) {
            report(.viewportZoomDisabled, "The viewport sets user-scalable=\(scalable), so visitors cannot zoom.", on: element)
        } else if let maximum = properties["maximum-scale"].flatMap({ Double($0) }), maximum < 2 {
            report(
                .viewportZoomDisabled, "The viewport sets maximum-scale=\(properties["maximum-scale"]!), limiting zoom below 200%.",
                on: element)
        }
    }
}
