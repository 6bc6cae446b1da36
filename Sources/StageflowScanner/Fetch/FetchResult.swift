import Foundation
import StageflowHTTP

/// Everything one fetch observed: each hop of its redirect chain, the final response (status, headers and as
/// much of the body as was asked for), or why there was none.
public struct FetchResult: Sendable {
    /// The address first requested.
    public var requested: WebAddress
    /// Every response in order, redirects included; the last is the final response when there is one.
    public var hops: [FetchHop]
    /// Where the chain ended (the requested address when nothing redirected).
    public var final: WebAddress
    /// Status of the final response; `nil` on failure.
    public var status: Int?
    /// Header fields of the final response.
    public var headers: HTTPHeaders
    /// `Set-Cookie` values of every response on the chain, in order.
    public var setCookies: [String]
    /// The body of the final response, if it was read (see `FetchRequest.readsBody`), at most the limit.
    public var body: Data?
    /// The body was cut at the limit.
    public var bodyTruncated: Bool
    /// The failure, if the chain ended without a final response.
    public var failure: FetchFailure?
    /// `false` when TLS verification failed and the response was fetched again without it (only when the
    /// request allowed that).
    public var tlsVerified: Bool

    /// The redirects followed (every hop but the final response).
    public var redirects: [FetchHop] {
        failure == nil ? Array(hops.dropLast()) : hops
    }

    /// The media type of the final response, lowercased, without parameters.
    public var mediaType: String? {
        headers["Content-Type"].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// Whether the final response is an HTML document (`text/html` or XHTML).
    public var isHTML: Bool {
        guard let mediaType else { return false }
        return mediaType == "text/html" || mediaType == "application/xhtml+xml"
    }

    /// The chain as text: `http://a/x → 301 → http://a/x/ → 200`.
    public var chainDescription: String {
        var parts: [String] = []
        for hop in hops {
            parts.append(hop.url)
            parts.append("\(hop.status)")
        }
        if let failure { parts.append(failure.message) }
        return parts.joined(separator: " → ")
    }

    /// The same result without its body (a page keeps its parsed document instead).
    var withoutBody: FetchResult {
        var copy = self
        copy.body = nil
        return copy
    }
}
