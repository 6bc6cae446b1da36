import StageflowReport

/// A page of the scan: a seed URL of the plan, or one the crawl discovered, with its fetch and its parsed
/// document.
public struct CrawledPage: Sendable {
    /// The URL as navigated: the seed as the plan gives it, or the discovered page's address.
    public var url: String
    /// The address requested, when `url` is a valid `http`/`https` URL.
    public var address: WebAddress?
    /// What fetching it observed; `nil` when the URL could not even be requested.
    public var fetch: FetchResult?
    /// The parsed page, when the final response was HTML.
    public var document: HTMLDocument?
    /// Whether the plan named this page (rather than the crawl finding it).
    public var isSeed: Bool
    /// What went wrong with this page (HTTP errors, timeouts, blocked requests, a non-HTML response).
    public var errors: [String]

    /// A page.
    public init(
        url: String, address: WebAddress?, fetch: FetchResult?, document: HTMLDocument?, isSeed: Bool,
        errors: [String]
    ) {
        self.url = url
        self.address = address
        self.fetch = fetch
        self.document = document
        self.isSeed = isSeed
        self.errors = errors
    }

    /// The URL relative references on the page resolve against: `<base href>` over the final URL.
    public var baseURL: WebAddress? {
        guard let final = fetch?.final else { return address }
        if let href = document?.baseHref, let base = WebAddress.resolve(href, against: final.url) { return base }
        return final
    }

    /// The page as `results.json` lists it.
    public var scannedPage: ScannedPage {
        ScannedPage(url: url, title: document?.title, httpStatus: fetch?.status, errors: errors.isEmpty ? nil : errors)
    }

    /// The page errors that a fetch result implies: no response, or an error status.
    static func errors(of fetch: FetchResult) -> [String] {
        if let failure = fetch.failure { return [failure.message] }
        guard let status = fetch.status else { return ["no response"] }
        if status >= 400 { return ["HTTP \(status) \(HTTPStatusText.reason(status))"] }
        return []
    }
}
