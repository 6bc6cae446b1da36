import StageflowReport

/// The titles and meta descriptions of every page of a run, gathered as pages are scanned (in any order, from
/// concurrent scans), for the findings only the whole site shows: pages that share a title or a description.
actor SEOSiteIndex {
    private struct Entry {
        var url: String
        var title: String?
        var description: String?
    }

    /// By the page's final URL, so one page reached under two URLs counts once.
    private var entries: [String: Entry] = [:]

    /// Records one page; `identity` names the page (its final URL), `url` is where findings are reported.
    func record(url: String, identity: String, title: String?, description: String?) {
        guard entries[identity] == nil else { return }
        entries[identity] = Entry(url: url, title: title, description: description)
    }

    /// One finding per page whose non-empty title, or description, another page also has; in URL order.
    func duplicateFindings() -> [ScannerFinding] {
        let pages = entries.values.sorted { $0.url < $1.url }
        return Self.duplicates(pages.map { (url: $0.url, value: $0.title) }, rule: .duplicateTitle, noun: "title")
            + Self.duplicates(pages.map { (url: $0.url, value: $0.description) }, rule: .duplicateMetaDescription, noun: "meta description")
    }

    private static func duplicates(_ pages: [(url: String, value: String?)], rule: SEORule, noun: String) -> [ScannerFinding] {
        var groups: [String: [String]] = [:]
        for page in pages {
            guard let value = page.value, !value.isEmpty else { continue }
            groups[value, default: []].append(page.url)
        }
        var findings: [ScannerFinding] = []
        for page in pages {
            guard let value = page.value, let urls = groups[value], urls.count > 1 else { continue }
            let others = urls.filter { $0 != page.url }
            let shown = others.prefix(3).joined(separator: ", ")
            let more = others.count > 3 ? " and \(others.count - 3) more" : ""
            let message = "The \(noun) \"\(shortened(value))\" is shared with \(others.count) other "
                + "page\(others.count == 1 ? "" : "s"): \(shown)\(more)."
            findings.append(rule.finding(url: page.url, message: message))
        }
        return findings
    }

    static func shortened(_ text: String, limit: Int = 100) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}
