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
    /// Decides on every address the transfer is about to connect to, redirects included; overrides the
    /// client's. A refused address fails the request with `HTTPError.blockedAddress` set.
    public var connectFilter: ConnectFilter?
    /// `host:port` → addresses to use instead of DNS for that host and port (curl's `CURLOPT_RESOLVE`), tried
    /// in order; IPv6 addresses without brackets.
    public var resolveOverrides: [String: [String]]

    /// A request.
    public init(
        method: String = "GET", url: URL, headers: HTTPHeaders = [:], body: Data? = nil, timeout: Duration? = nil,
        connectFilter: ConnectFilter? = nil, resolveOverrides: [String: [String]] = [:]
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectFilter = connectFilter
        self.resolveOverrides = resolveOverrides
    }

    /// `METHOD URL`, as errors name a request.
    public var summary: String { "\(method) \(url.absoluteString)" }
}
