import Foundation

/// Crawling directives: the canonical URL, robots `noindex`, and hreflang alternates.
extension SEOPageAudit {
    /// `<link>` elements whose `rel` lists `relation` (compared case-insensitively).
    func links(withRelation relation: String) -> [HTMLElement] {
        htmlElements(named: "link").filter { element in
            (element.attribute("rel") ?? "").lowercased().split(whereSeparator: { $0.isWhitespace }).contains { $0 == relation }
        }
    }

    /// The links of the response's `Link` header.
    var headerLinks: [LinkHeader] {
        LinkHeader.parse(page.headers.values(for: "Link"))
    }

    /// The page's own address, for comparisons with the URLs it declares.
    var pageAddress: WebAddress? {
        WebAddress(page.finalURL) ?? WebAddress(page.url)
    }

    mutating func checkCanonical() {
        let elements = links(withRelation: "canonical").filter { $0.attribute("href") != nil }
        let fromHeader = headerLinks.filter { $0.relations.contains("canonical") }
        guard !elements.isEmpty || !fromHeader.isEmpty else {
            report(.missingCanonical, "The page declares no canonical URL (no <link rel=\"canonical\"> and no Link header).")
            return
        }
        var targets: [(key: String, element: HTMLElement?)] = []
        var isValid = true
        for element in elements {
            let href = (element.attribute("href") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if href.isEmpty {
                report(.invalidCanonical, "The canonical link has an empty href.", on: element)
                isValid = false
            } else if WebAddress.scheme(of: href) == nil {
                report(.invalidCanonical, "The canonical URL \"\(href)\" is relative; it should be absolute.", on: element)
                isValid = false
            } else if let address = WebAddress(href) {
                targets.append((key: address.key, element: element))
            } else {
                report(.invalidCanonical, "The canonical URL \"\(href)\" is not an http(s) URL.", on: element)
                isValid = false
            }
        }
        var headerTargets: [String] = []
        for link in fromHeader {
            if let base = URL(string: page.finalURL), let address = WebAddress.resolve(link.target, against: base) {
                headerTargets.append(address.key)
            } else {
                report(.invalidCanonical, "The Link header's canonical URL \"\(link.target)\" is not an http(s) URL.")
                isValid = false
            }
        }
        let markup = Self.distinct(targets.map(\.key))
        let header = Self.distinct(headerTargets)
        if markup.count > 1 {
            report(
                .invalidCanonical,
                "The page declares \(markup.count) different canonical URLs: \(markup.joined(separator: ", ")).",
                on: targets.first { $0.key == markup[1] }?.element)
            return
        }
        if header.count > 1 {
            report(.invalidCanonical, "The Link header declares \(header.count) different canonical URLs: \(header.joined(separator: ", ")).")
            return
        }
        if let fromMarkup = markup.first, let fromLink = header.first, fromMarkup != fromLink {
            report(
                .invalidCanonical,
                "The markup's canonical URL \(fromMarkup) differs from the Link header's \(fromLink).",
                on: targets.first?.element)
            return
        }
        guard isValid, let target = markup.first ?? header.first, let address = WebAddress(target), let pageAddress else { return }
        if !address.isSameOrigin(as: pageAddress) {
            report(
                .canonicalCrossOrigin,
                "The canonical URL \(target) is on \(address.origin), not on the page's origin \(pageAddress.origin).",
                on: targets.first?.element)
        }
    }

    mutating func checkRobots() {
        for element in htmlElements(named: "meta") {
            guard let name = metaName(of: element), ["robots", "googlebot", "bingbot"].contains(name),
                let content = element.attribute("content"), Self.forbidsIndexing(content)
            else { continue }
            report(.noindex, "<meta name=\"\(name)\" content=\"\(content)\"> keeps the page out of search results.", on: element)
        }
        for value in page.headers.values(for: "X-Robots-Tag") where Self.forbidsIndexing(value) {
            report(.noindex, "The X-Robots-Tag header \"\(value)\" keeps the page out of search results.")
        }
    }

    /// Whether robots directives include `noindex` or `none` (also behind a user agent: `googlebot: noindex`).
    static func forbidsIndexing(_ directives: String) -> Bool {
        directives.lowercased().split(separator: ",").contains { part in
            let token = part.trimmingCharacters(in: .whitespaces)
            let directive = token.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? token
            return ["noindex", "none"].contains(token) || (!token.hasPrefix("unavailable_after") && ["noindex", "none"].contains(directive))
        }
    }

    mutating func checkHreflang() {
        let elements = links(withRelation: "alternate").filter { $0.attribute("hreflang") != nil }
        let fromHeader = headerLinks.filter { $0.relations.contains("alternate") && $0.parameters["hreflang"] != nil }
        guard !elements.isEmpty || !fromHeader.isEmpty else { return }
        var alternates: [(code: String, href: String, element: HTMLElement?)] = []
        for element in elements {
            alternates.append((code: element.attribute("hreflang") ?? "", href: element.attribute("href") ?? "", element: element))
        }
        for link in fromHeader {
            alternates.append((code: link.parameters["hreflang"] ?? "", href: link.target, element: nil))
        }

        var hasSelf = false
        var hasDefault = false
        for alternate in alternates {
            let code = alternate.code.trimmingCharacters(in: .whitespaces)
            let href = alternate.href.trimmingCharacters(in: .whitespacesAndNewlines)
            if code.lowercased() == "x-default" {
                hasDefault = true
            } else if let problem = Self.hreflangProblem(code) {
                report(.invalidHreflang, "hreflang=\"\(code)\" \(problem).", on: alternate.element)
            }
            if WebAddress.scheme(of: href) == nil || WebAddress(href) == nil {
                report(.invalidHreflang, "The hreflang alternate \"\(href)\" (\(code)) is not an absolute http(s) URL.", on: alternate.element)
            }
            if let base = baseURL, let address = WebAddress.resolve(href, against: base), let pageAddress,
                address.key == pageAddress.key || address.key == WebAddress(page.url)?.key
            {
                hasSelf = true
            }
        }
        if !hasSelf {
            report(.hreflangMissingSelf, "The page lists \(alternates.count) hreflang alternates but not itself.")
        }
        if !hasDefault {
            report(.hreflangMissingXDefault, "The hreflang alternates have no x-default entry.")
        }
    }

    /// What is wrong with an hreflang code, or `nil` when it is a valid language(-script)(-region) code.
    static func hreflangProblem(_ code: String) -> String? {
        guard !code.isEmpty else { return "is empty" }
        guard let tag = LanguageTag(code) else {
            let parts = code.split(whereSeparator: { $0 == "-" || $0 == "_" })
            if let first = parts.first, LanguageTag.isLanguage(first.lowercased()), parts.count > 1 {
                return "has an unknown region \"\(parts.last!)\" (ISO 3166-1 alpha-2, e.g. GB for the United Kingdom)"
            }
            return "is not a language code (ISO 639-1, e.g. en, de, ja)"
        }
        if tag.language.count != 2 { return "uses a three-letter language code; hreflang takes ISO 639-1 (two letters)" }
        return nil
    }

    static func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
