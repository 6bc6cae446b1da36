import Foundation
import StageflowHTTP

/// One page as it was loaded once for every page scanner of a run: by the browser (the document as serialised
/// after load, so script-built content counts) or, without a browser, by a plain fetch (the response body).
public struct LoadedPage: Sendable {
    /// The URL as the plan (or the crawl) gave it; findings are reported against it.
    public var url: String
    /// Where the page ended up after redirects.
    public var finalURL: String
    /// Status of the main document's final response; `nil` when it is not known.
    public var status: Int?
    /// Header fields of the main document's final response.
    public var headers: HTTPHeaders
    /// The page's markup.
    public var html: String
    /// Whether the plan named this page (rather than the crawl finding it).
    public var isSeed: Bool
    /// What the browser's network log saw while loading the page; `nil` without a browser.
    public var network: PageNetworkSummary?

    /// A loaded page.
    public init(
        url: String, finalURL: String? = nil, status: Int? = 200, headers: HTTPHeaders = [:], html: String, isSeed: Bool = true,
        network: PageNetworkSummary? = nil
    ) {
        self.url = url
        self.finalURL = finalURL ?? url
        self.status = status
        self.headers = headers
        self.html = html
        self.isSeed = isSeed
        self.network = network
    }
}

/// The network side of one page load, as the browser's network log saw it (every request of the page,
/// subresources included, until the load settled).
public struct PageNetworkSummary: Sendable, Hashable {
    /// Requests made.
    public var requestCount: Int
    /// Bytes received over the wire (encoded, headers included), all requests.
    public var transferBytes: Int64
    /// Requests that failed (no response: refused, blocked, timed out, DNS).
    public var failedRequests: Int
    /// Time from the navigation's start to the first byte of the main document's response, in milliseconds.
    public var timeToFirstByteMs: Double?

    /// A summary.
    public init(requestCount: Int, transferBytes: Int64, failedRequests: Int, timeToFirstByteMs: Double?) {
        self.requestCount = requestCount
        self.transferBytes = transferBytes
        self.failedRequests = failedRequests
        self.timeToFirstByteMs = timeToFirstByteMs
    }
}
