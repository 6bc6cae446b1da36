import Foundation
import StageflowReport

/// The `link-checker` scanner: every `a`, `area`, `img`, `script`, `link`, `iframe` and `source` reference on
/// the scanned pages, resolved against the page (and its `<base href>`), each distinct URL checked once per
/// job — internal ones always, external ones when `checkExternal` is set — and fragments checked against the
/// ids and names of the target page.
public struct LinkCheckerScanner: BuiltinScanner {
    /// `link-checker`.
    public let id = "link-checker"
    /// Shown in the report.
    public let toolVersion = "stageflow link-checker 1.0"

    /// The scanner's configuration (the manifest's `configSchema`).
    public struct Configuration: Decodable, Sendable {
        /// Check links to other origins too (default false).
        public var checkExternal: Bool?
        /// Requests to one host at once (default 4).
        public var maxConcurrencyPerHost: Int?
        /// Requests at once overall (default 16).
        public var maxConcurrency: Int?
        /// Limit on each request, in seconds (default 10).
        public var timeoutSeconds: Int?
        /// Redirects followed per URL (default 10).
        public var maxRedirects: Int?
        /// Check that fragments name an anchor of the target page (default true).
        public var checkFragments: Bool?
        /// Report references that work only through redirects (default true).
        public var reportRedirects: Bool?
        /// URL prefixes never checked.
        public var ignore: [String]?
    }

    /// A scanner.
    public init() {}

    /// Crawls the plan's pages and checks their references.
    public func scan(_ context: ScanContext) async throws -> ScannerResults {
        let configuration = try context.decodeConfig(Configuration.self)
        let timeout = Duration.seconds(max(1, configuration.timeoutSeconds ?? 10))
        let crawl = try await context.crawlPages(timeout: timeout)
        let checkExternal = configuration.checkExternal ?? false
        let checkFragments = configuration.checkFragments ?? true
        let ignored = configuration.ignore ?? []

        let references = crawl.pages.flatMap(LinkReference.references(of:)).filter { reference in
            (reference.isInternal || checkExternal) && !ignored.contains { reference.target.key.hasPrefix($0) }
        }
        var targets = Self.crawledTargets(crawl)
        var pending: [String: (address: WebAddress, needsAnchors: Bool)] = [:]
        var order: [String] = []
        for reference in references {
            let key = reference.target.key
            let needsAnchors = checkFragments && LinkFindings.checkableFragment(reference.target.fragment) != nil
                && reference.kind == .link
            if let known = targets[key], !(needsAnchors && known.anchors == nil && known.fetch.isHTML) { continue }
            if pending[key] == nil { order.append(key) }
            let previous = pending[key]?.needsAnchors ?? false
            pending[key] = (reference.target.withFragment(nil), previous || needsAnchors)
        }
        let checker = LinkTargetChecker(
            fetcher: context.fetcher, timeout: timeout, maxRedirects: max(0, configuration.maxRedirects ?? 10),
            perHost: max(1, configuration.maxConcurrencyPerHost ?? 4), width: max(1, configuration.maxConcurrency ?? 16),
            deadline: context.deadline)
        let checked = try await checker.check(order.compactMap { pending[$0] })
        targets.merge(checked) { _, new in new }

        var findings: [ScannerFinding] = []
        var unchecked = 0
        for reference in references {
            guard let target = targets[reference.target.key] else {
                unchecked += 1
                continue
            }
            findings += LinkFindings.findings(
                for: reference, target: target, reportRedirects: configuration.reportRedirects ?? true)
        }
        try await context.evidence.writeJSON("links.json", Self.evidence(references: references, targets: targets))
        context.logger.info(
            "link-checker: \(crawl.pages.count) page(s), \(references.count) reference(s), \(targets.count) URL(s) known, \(findings.count) finding(s)")
        var results = Self.results(crawl: crawl, findings: findings, unchecked: unchecked)
        let byPage = Dictionary(grouping: references.filter { targets[$0.target.key] != nil }, by: \.page)
        for index in results.pages.indices {
            let fetched = results.pages[index].errors?.isEmpty ?? true
            results.pages[index].passed = fetched ? LinkRules.checked(by: byPage[results.pages[index].url] ?? [], checkFragments: checkFragments) : []
        }
        return results
    }

    /// What the crawl already fetched, reusable as checked targets: each page under its requested and its
    /// final URL, and the discovered URLs that were not pages.
    static func crawledTargets(_ crawl: PageCrawler.Outcome) -> [String: LinkTarget] {
        var targets: [String: LinkTarget] = [:]
        for (key, fetch) in crawl.otherFetches { targets[key] = LinkTarget(crawled: fetch) }
        for page in crawl.pages {
            guard let fetch = page.fetch else { continue }
            targets[fetch.requested.key] = LinkTarget(crawled: fetch, document: page.document)
            guard fetch.failure == nil, let status = fetch.status else { continue }
            var direct = fetch
            direct.requested = fetch.final
            direct.hops = [FetchHop(url: fetch.final.key, status: status)]
            targets[fetch.final.key] = LinkTarget(crawled: direct, document: page.document)
        }
        return targets
    }

    static func results(crawl: PageCrawler.Outcome, findings: [ScannerFinding], unchecked: Int) -> ScannerResults {
        let pages = crawl.pages.map(\.scannedPage)
        var results = ScannerResults(
            scanner: "link-checker", pages: pages, findings: findings, rules: LinkRules.descriptors, category: .links)
        let failedPages = pages.filter { !($0.errors ?? []).isEmpty }.count
        if pages.isEmpty || failedPages == pages.count {
            results.status = .failed
            results.error = pages.isEmpty ? "the plan has no pages" : "no page could be fetched: \(pages[0].errors?.first ?? "")"
        } else if failedPages > 0 || unchecked > 0 || crawl.budgetExhausted {
            results.status = .partial
            var reasons: [String] = []
            if failedPages > 0 { reasons.append("\(failedPages) of \(pages.count) pages could not be fetched") }
            if unchecked > 0 { reasons.append("\(unchecked) references were not checked before the time budget ran out") }
            if crawl.budgetExhausted { reasons.append("the crawl stopped when the time budget ran out") }
            results.error = reasons.joined(separator: "; ")
        }
        return results
    }

    /// One row per checked URL: status, redirect chain, failure, method — the evidence behind the findings.
    struct CheckedURL: Encodable {
        var url: String
        var references: Int
        var status: Int?
        var method: String
        var redirects: [FetchHop]
        var failure: String?
        var finalURL: String
    }

    static func evidence(references: [LinkReference], targets: [String: LinkTarget]) -> [CheckedURL] {
        var counts: [String: Int] = [:]
        for reference in references { counts[reference.target.key, default: 0] += 1 }
        return counts.keys.sorted().compactMap { key in
            guard let target = targets[key] else { return nil }
            return CheckedURL(
                url: key, references: counts[key] ?? 0, status: target.fetch.status, method: target.method,
                redirects: target.fetch.redirects, failure: target.fetch.failure?.message, finalURL: target.fetch.final.key)
        }
    }
}
