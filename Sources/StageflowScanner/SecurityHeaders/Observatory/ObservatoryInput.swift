import StageflowHTTP

/// What the Observatory grading looks at for one page.
public struct ObservatoryInput: Sendable {
    /// The page's final URL (after redirects): its scheme decides whether HTTPS-only rules apply, its host is
    /// looked up in the HSTS preload list.
    public var url: WebAddress
    /// Header fields of the page's final response; repeated header lines stay separate fields.
    public var headers: HTTPHeaders
    /// The page, when it is HTML: `<meta http-equiv="Content-Security-Policy">`, `<meta name="referrer">` and
    /// `<script src>` count.
    public var document: HTMLDocument?
    /// Whether the TLS certificate of an HTTPS page verified.
    public var tlsVerified: Bool
    /// Every `Set-Cookie` value seen while fetching the page and its probes.
    public var setCookies: [String]
    /// The URLs a plain-HTTP request for the page went through (first the `http://` URL, then each redirect
    /// target); `nil` when plain HTTP did not answer.
    public var httpRoute: [String]?
    /// Whether every TLS certificate on the plain-HTTP route verified.
    public var httpRouteVerified: Bool
    /// The `Origin` sent by the CORS probe and the response's header fields; `nil` when not probed.
    public var corsProbe: CORSProbe?
    /// Hosts known to browsers as HTTPS-only.
    public var preloadList: HSTSPreloadList

    /// A CORS probe: a request carrying `Origin` and what came back.
    public struct CORSProbe: Sendable {
        /// The `Origin` sent.
        public var origin: String
        /// Header fields of the response.
        public var headers: HTTPHeaders

        /// A probe.
        public init(origin: String, headers: HTTPHeaders) {
            self.origin = origin
            self.headers = headers
        }
    }

    /// An input; only the URL and headers are required.
    public init(
        url: WebAddress, headers: HTTPHeaders, document: HTMLDocument? = nil, tlsVerified: Bool = true,
        setCookies: [String] = [], httpRoute: [String]? = nil, httpRouteVerified: Bool = true,
        corsProbe: CORSProbe? = nil, preloadList: HSTSPreloadList = HSTSPreloadList()
    ) {
        self.url = url
        self.headers = headers
        self.document = document
        self.tlsVerified = tlsVerified
        self.setCookies = setCookies
        self.httpRoute = httpRoute
        self.httpRouteVerified = httpRouteVerified
        self.corsProbe = corsProbe
        self.preloadList = preloadList
    }

    /// The values of a header, one per header line.
    func values(_ name: String) -> [String] {
        headers.values(for: name)
    }

    /// The value of a header as one field: repeated lines joined with `, ` as RFC 9110 combines them (so a
    /// header that must appear once reads as invalid when it appears twice).
    func combined(_ name: String) -> String? {
        let values = headers.values(for: name)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
