import StageflowHTTP

/// What to fetch and how.
public struct FetchRequest: Sendable {
    /// The address (its fragment is never sent).
    public var address: WebAddress
    /// `GET` or `HEAD`.
    public var method: String
    /// Extra header fields (an `Origin` for a CORS probe, say).
    public var headers: HTTPHeaders
    /// Limit on each request of the chain.
    public var timeout: Duration
    /// Redirects followed before giving up; 0 returns the first response, redirect or not.
    public var maxRedirects: Int
    /// Upper bound on body bytes kept; the transfer stops there.
    public var maxBodyBytes: Int
    /// Whether to read the final response's body, decided from its status and headers (only HTML pages,
    /// say); `HEAD` never reads one.
    public var readsBody: @Sendable (Int, HTTPHeaders) -> Bool
    /// On a TLS certificate failure, fetch again without verification and mark the result unverified (the
    /// security-headers grade needs the headers of such a site; nothing else should set this).
    public var retriesUnverifiedTLS: Bool

    /// A request; by default a `GET` that follows up to 10 redirects and reads HTML bodies up to 5 MiB.
    public init(
        _ address: WebAddress, method: String = "GET", headers: HTTPHeaders = [:], timeout: Duration = .seconds(15),
        maxRedirects: Int = 10, maxBodyBytes: Int = 5 << 20,
        readsBody: @escaping @Sendable (Int, HTTPHeaders) -> Bool = PageFetcher.htmlBodies,
        retriesUnverifiedTLS: Bool = false
    ) {
        self.address = address
        self.method = method
        self.headers = headers
        self.timeout = timeout
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
        self.readsBody = readsBody
        self.retriesUnverifiedTLS = retriesUnverifiedTLS
    }
}
