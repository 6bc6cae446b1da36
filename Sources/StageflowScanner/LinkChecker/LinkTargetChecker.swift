import Foundation

/// Checks URLs for the link checker: `HEAD` first, `GET` when the server refuses or mishandles `HEAD` (405,
/// 501, any other error status, a broken exchange) or when the page's anchors are needed; redirects followed
/// and recorded by `PageFetcher`; at most `perHost` requests per host and `width` overall at once.
struct LinkTargetChecker: Sendable {
    var fetcher: PageFetcher
    var timeout: Duration
    var maxRedirects: Int
    var perHost: Int
    var width: Int
    var deadline: ContinuousClock.Instant

    /// Checks every address once; addresses reached after the deadline are left out of the result.
    func check(_ addresses: [(address: WebAddress, needsAnchors: Bool)]) async throws -> [String: LinkTarget] {
        let limiter = HostLimiter(perHost: perHost)
        let checked = try await BoundedTasks.map(addresses, width: width) { item -> LinkTarget? in
            try await limiter.withSlot(item.address.host) {
                guard ContinuousClock.now < deadline else { return nil }
                return try await check(item.address, needsAnchors: item.needsAnchors)
            }
        }
        var results: [String: LinkTarget] = [:]
        for (item, target) in zip(addresses, checked) {
            if let target { results[item.address.key] = target }
        }
        return results
    }

    /// Checks one address.
    func check(_ address: WebAddress, needsAnchors: Bool) async throws -> LinkTarget {
        if !needsAnchors {
            let head = try await fetcher.fetch(
                FetchRequest(address, method: "HEAD", timeout: timeout, maxRedirects: maxRedirects, readsBody: PageFetcher.noBodies))
            if !Self.needsGETFallback(head) { return LinkTarget(fetch: head, anchors: nil, method: "HEAD") }
        }
        let get = try await fetcher.fetch(
            FetchRequest(
                address, timeout: timeout, maxRedirects: maxRedirects,
                readsBody: needsAnchors ? PageFetcher.htmlBodies : PageFetcher.noBodies))
        let anchors = get.isHTML ? get.body.map { HTMLDocument(data: $0).anchors } : nil
        return LinkTarget(fetch: get, anchors: anchors, method: "GET")
    }

    /// Whether a `HEAD` answer cannot be trusted and a `GET` should decide: an error status (servers that do
    /// not implement `HEAD` answer 405 or 501, and many answer 403, 404 or 500 to it alone) or a broken
    /// exchange. Timeouts, unreachable hosts, TLS failures, loops and blocked URLs would fail a `GET` too.
    static func needsGETFallback(_ head: FetchResult) -> Bool {
        if let failure = head.failure { return failure.kind == .transfer || failure.kind == .invalidURL }
        return (head.status ?? 0) >= 400
    }
}
