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

    /// A loaded page.
    public init(url: String, finalURL: String? = nil, status: Int? = 200, headers: HTTPHeaders = [:], html: String, isSeed: Bool = true) {
        self.url = url
        self.finalURL = finalURL ?? url
        self.status = status
        self.headers = headers
        self.html = html
        self.isSeed = isSeed
    }
}
