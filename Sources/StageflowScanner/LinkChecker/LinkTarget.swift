import Foundation

/// What checking one URL found: the fetch (redirect chain, final status or failure) and, when the final
/// response was an HTML page that was read, the fragment targets it defines.
struct LinkTarget: Sendable {
    /// The fetch.
    var fetch: FetchResult
    /// Ids and `<a name>`s of the final document; `nil` when it was not read as HTML.
    var anchors: Set<String>?
    /// `HEAD` or `GET`: the method of the answer kept.
    var method: String

    /// A target from a crawl fetch (always a `GET`), its anchors read from the body when it is HTML.
    init(crawled fetch: FetchResult, document: HTMLDocument? = nil) {
        self.fetch = fetch
        self.method = "GET"
        if let document {
            anchors = document.anchors
        } else if fetch.isHTML, let body = fetch.body {
            anchors = HTMLDocument(data: body).anchors
        } else {
            anchors = nil
        }
    }

    init(fetch: FetchResult, anchors: Set<String>?, method: String) {
        self.fetch = fetch
        self.anchors = anchors
        self.method = method
    }
}
