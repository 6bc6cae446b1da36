import Foundation

/// One HTTP request: method, absolute URL, header fields and an optional body.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, …
    public var method: String
    /// The absolute `http` or `https` URL; with a unix socket the host part is only used for the `Host` header.
    public var url: URL
    /// Header fields sent as given.
    public var headers: HTTPHeaders
    /// The body, sent with `Content-Length`; `nil` sends none.
    public var body: Data?
    /// A limit on the whole exchange that overrides the client's `timeout`; `nil` keeps the client's.
    public var timeout: Duration?

    /// A request.
    public init(
        method: String = "GET", url: URL, headers: HTTPHeaders = [:], body: Data? = nil, timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// `METHOD URL`, as errors name a request.
    public var summary: String { "\(method) \(url.absoluteString)" }
}
