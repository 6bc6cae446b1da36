import Foundation
import StageflowAPI

/// Fetches the pages of a scan: the plan's seed URLs, and — when the plan crawls — the pages they link to,
/// breadth-first, up to `maxPages`, on the seeds' origins (or hosts, with `sameOrigin: false`), with
/// `/sitemap.xml` read first when asked. Every page is fetched once (by canonical URL, redirects included);
/// responses that are not pages (a PDF, a 404 found by the crawl) are kept for the link checker to reuse.
public struct PageCrawler: Sendable {
    /// How the crawl behaves.
    public struct Options: Sendable {
        /// The plan's crawl options; `nil` scans the seeds only.
        public var crawl: CrawlOptions?
        /// Pages fetched at once.
        public var concurrency: Int
        /// Limit on each request.
        public var timeout: Duration
        /// Upper bound on a page body kept in memory.
        public var maxBodyBytes: Int
        /// Grade sites with broken certificates instead of failing them (security-headers).
        public var retriesUnverifiedTLS: Bool
        /// When the crawl stops starting new fetches.
        public var deadline: ContinuousClock.Instant?
        /// Keep each page's body (page scanners read the markup when no browser loads the pages); otherwise
        /// only the parsed document is kept.
        public var keepsBodies = false

        /// Options; pages default to 4 at a time and 15 s each.
        public init(
            crawl: CrawlOptions? = nil, concurrency: Int = 4, timeout: Duration = .seconds(15),
            maxBodyBytes: Int = 5 << 20, retriesUnverifiedTLS: Bool = false, deadline: ContinuousClock.Instant? = nil
        ) {
            self.crawl = crawl
            self.concurrency = max(1, concurrency)
            self.timeout = timeout
            self.maxBodyBytes = maxBodyBytes
            self.retriesUnverifiedTLS = retriesUnverifiedTLS
            self.deadline = deadline
        }
    }

    /// What a crawl produced.
    public struct Outcome: Sendable {
        /// The pages, seeds first, then discovered pages in breadth-first order.
        public var pages: [CrawledPage]
        /// Fetches of discovered URLs that did not become pages, by canonical requested URL.
        public var otherFetches: [String: FetchResult]
        /// The time budget ran out before the crawl finished.
        public var budgetExhausted: Bool
    }

    /// Pages scanned when the plan crawls without saying how many.
    public static let defaultMaxPages = 50

    private let fetcher: PageFetcher
    private let options: Options

    /// A crawler.
    public init(fetcher: PageFetcher, options: Options) {
        self.fetcher = fetcher
        self.options = options
    }

    private struct Entry: Sendable {
        var text: String
        var address: WebAddress?
        var isSeed: Bool
    }

    /// Crawls from `seeds` (the plan's URLs, in order).
    public func crawl(seeds: [String]) async throws -> Outcome {
        var queue = seeds.map { Entry(text: $0, address: WebAddress($0), isSeed: true) }
        var known = Set(queue.compactMap { $0.address?.key })
        let scope = CrawlScope(seeds: queue.compactMap(\.address), sameOrigin: options.crawl?.sameOrigin ?? true)
        let limit = options.crawl.map { Int($0.maxPages ?? Int64(Self.defaultMaxPages)) } ?? 0
        if options.crawl?.sitemap == true {
            for address in try await sitemapPages(scope: scope) where known.insert(address.key).inserted {
                queue.append(Entry(text: address.key, address: address, isSeed: false))
            }
        }
        var outcome = Outcome(pages: [], otherFetches: [:], budgetExhausted: false)
        var pageKeys = Set<String>()
        var next = 0
        while next < queue.count {
            if let deadline = options.deadline, ContinuousClock.now >= deadline {
                outcome.budgetExhausted = true
                for entry in queue[next...] where entry.isSeed {
                    outcome.pages.append(
                        CrawledPage(
                            url: entry.text, address: entry.address, fetch: nil, document: nil, isSeed: true,
                            errors: ["not fetched: the time budget ran out"]))
                }
                break
            }
            let seedsLeft = queue[next...].contains { $0.isSeed }
            if !seedsLeft, outcome.pages.count >= limit { break }
            let batch = Array(queue[next..<min(next + options.concurrency, queue.count)])
            next += batch.count
            let fetches = try await fetchAll(batch)
            for (entry, fetch) in zip(batch, fetches) {
                guard let page = admit(entry, fetch, pageKeys: &pageKeys, outcome: &outcome, limit: limit) else { continue }
                outcome.pages.append(page)
                if let final = fetch?.final { known.insert(final.key) }
                guard options.crawl != nil else { continue }
                for link in links(of: page, scope: scope) where known.insert(link.key).inserted {
                    queue.append(Entry(text: link.key, address: link, isSeed: false))
                }
            }
        }
        return outcome
    }

    /// Decides whether a fetched entry is a page of the scan: seeds always are; discovered URLs only when
    /// they end in an HTML document not already scanned, within the page limit.
    private func admit(
        _ entry: Entry, _ fetch: FetchResult?, pageKeys: inout Set<String>, outcome: inout Outcome, limit: Int
    ) -> CrawledPage? {
        guard let fetch else {
            return entry.isSeed
                ? CrawledPage(
                    url: entry.text, address: nil, fetch: nil, document: nil, isSeed: true,
                    errors: ["not an http or https URL: \(entry.text)"])
                : nil
        }
        let document = fetch.isHTML ? fetch.body.map(HTMLDocument.init(data:)) : nil
        if entry.isSeed {
            pageKeys.insert(fetch.final.key)
            return CrawledPage(
                url: entry.text, address: entry.address, fetch: options.keepsBodies ? fetch : fetch.withoutBody, document: document, isSeed: true,
                errors: CrawledPage.errors(of: fetch))
        }
        let isPage = fetch.failure == nil && (200..<300).contains(fetch.status ?? 0) && document != nil
            && outcome.pages.count < limit && !pageKeys.contains(fetch.final.key)
        guard isPage else {
            outcome.otherFetches[fetch.requested.key] = fetch
            return nil
        }
        pageKeys.insert(fetch.final.key)
        if fetch.final.key != fetch.requested.key { outcome.otherFetches[fetch.requested.key] = fetch }
        return CrawledPage(
            url: fetch.final.key, address: fetch.final, fetch: options.keepsBodies ? fetch : fetch.withoutBody, document: document, isSeed: false,
            errors: [])
    }

    private func fetchAll(_ batch: [Entry]) async throws -> [FetchResult?] {
        try await withThrowingTaskGroup(of: (Int, FetchResult?).self) { group in
            for (position, entry) in batch.enumerated() {
                group.addTask {
                    guard let address = entry.address else { return (position, nil) }
                    let request = FetchRequest(
                        address, timeout: options.timeout, maxBodyBytes: options.maxBodyBytes,
                        retriesUnverifiedTLS: options.retriesUnverifiedTLS)
                    return (position, try await fetcher.fetch(request))
                }
            }
            var results = [FetchResult?](repeating: nil, count: batch.count)
            for try await (position, result) in group { results[position] = result }
            return results
        }
    }

    /// Same-scope `<a href>` and `<area href>` targets of a page, fragments dropped, in document order.
    private func links(of page: CrawledPage, scope: CrawlScope) -> [WebAddress] {
        guard let document = page.document, let base = page.baseURL else { return [] }
        return document.tags.compactMap { tag in
            guard tag.name == "a" || tag.name == "area", let href = tag.attribute("href"),
                let address = WebAddress.resolve(href, against: base.url), scope.contains(address)
            else { return nil }
            return address.withFragment(nil)
        }
    }

    /// The `<loc>` URLs of each seed origin's `/sitemap.xml` that are in scope.
    private func sitemapPages(scope: CrawlScope) async throws -> [WebAddress] {
        var pages: [WebAddress] = []
        for origin in scope.origins {
            guard let address = WebAddress(origin + "/sitemap.xml") else { continue }
            let request = FetchRequest(
                address, timeout: options.timeout, maxBodyBytes: 10 << 20, readsBody: { status, _ in status == 200 })
            let fetch = try await fetcher.fetch(request)
            guard fetch.status == 200, let body = fetch.body else { continue }
            var inLocation = false
            for token in HTMLTokenizer(bytes: Array(body)) {
                switch token {
                case .startTag(let tag): inLocation = tag.name == "loc"
                case .endTag: inLocation = false
                case .text(let text) where inLocation:
                    if let page = WebAddress(text.trimmingCharacters(in: .whitespacesAndNewlines)), scope.contains(page) {
                        pages.append(page)
                    }
                default: break
                }
            }
        }
        return pages
    }
}
