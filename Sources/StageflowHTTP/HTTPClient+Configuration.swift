extension HTTPClient {
    /// How a client connects: timeouts, transport and TLS, with defaults suited to an API client.
    public struct Configuration: Sendable, Hashable {
        /// Limit on a whole exchange made with `send`; `nil` for none. Streams never use it.
        public var timeout: Duration?
        /// Limit on establishing the connection (DNS, TCP, TLS).
        public var connectTimeout: Duration
        /// Connect over this unix domain socket instead of TCP (the Podman API socket, for example).
        public var unixSocketPath: String?
        /// Follow `3xx` redirects; off by default so callers see and check every hop.
        public var followRedirects: Bool
        /// Upper bound on redirects followed when `followRedirects` is on.
        public var maxRedirects: Int
        /// Sent as `User-Agent` unless the request sets its own.
        public var userAgent: String
        /// Use the proxy named by `http_proxy`, `https_proxy` and `no_proxy`, as curl does by default.
        public var useEnvironmentProxy: Bool
        /// A PEM bundle of certificate authorities to trust instead of the system's.
        public var caBundlePath: String?
        /// Accept any TLS certificate; only for test servers.
        public var insecureSkipTLSVerify: Bool
        /// A PEM client certificate (and `clientKeyPath`, its key) presented to servers that ask for one.
        public var clientCertificatePath: String?
        /// The PEM private key of `clientCertificatePath`.
        public var clientKeyPath: String?
        /// Offer every compression curl supports and decode responses transparently; turn it off for
        /// byte-exact downloads such as stored objects that carry their own `Content-Encoding`.
        public var decodeContentEncoding: Bool
        /// Decides on every address a transfer is about to connect to (a request's own filter wins); with
        /// an environment proxy it sees the proxy's address.
        public var connectFilter: ConnectFilter?

        /// A configuration; every parameter has a default.
        public init(
            timeout: Duration? = .seconds(30),
            connectTimeout: Duration = .seconds(10),
            unixSocketPath: String? = nil,
            followRedirects: Bool = false,
            maxRedirects: Int = 10,
            userAgent: String = "stageflow",
            useEnvironmentProxy: Bool = true,
            caBundlePath: String? = nil,
            insecureSkipTLSVerify: Bool = false,
            decodeContentEncoding: Bool = true,
            connectFilter: ConnectFilter? = nil,
            clientCertificatePath: String? = nil,
            clientKeyPath: String? = nil
        ) {
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.unixSocketPath = unixSocketPath
            self.followRedirects = followRedirects
            self.maxRedirects = maxRedirects
            self.userAgent = userAgent
            self.useEnvironmentProxy = useEnvironmentProxy
            self.caBundlePath = caBundlePath
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.decodeContentEncoding = decodeContentEncoding
            self.connectFilter = connectFilter
            self.clientCertificatePath = clientCertificatePath
            self.clientKeyPath = clientKeyPath
        }
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 for any positive duration, as curl's `_MS` options take them.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds <= 0 { return self > .zero ? 1 : 0 }
        return Int(clamping: milliseconds)
    }
}
