import StageflowObjectStore

/// Settings of the API server; every value has a default suitable for `stageflow up`.
public struct APIServerConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free one (reported through `onServerRunning`).
    public var port: Int
    /// Largest request body accepted; larger bodies get 413.
    public var maxRequestBodyBytes: Int
    /// How long a watch runs when the client gives no `timeoutSeconds`.
    public var defaultWatchTimeout: Duration
    /// The longest watch a client may ask for with `timeoutSeconds`.
    public var maxWatchTimeout: Duration
    /// How long a watch stays idle before a BOOKMARK is sent to clients that allow bookmarks.
    public var bookmarkInterval: Duration
    /// How long `/readyz` and `/healthz` wait for the store to answer.
    public var storeCheckTimeout: Duration
    /// The Kubernetes version reported by `/version`; kubectl warns when it is far from its own.
    public var kubernetesVersion: (major: Int, minor: Int)
    /// Where job reports and artifacts are read from; `nil` (no object store configured) makes the `report` and
    /// `artifacts` subresources of ScanJobs answer 503.
    public var artifacts: (any ArtifactReader)?
    /// The SSRF policy ScanJob target URLs are checked with when a job is created or updated.
    public var targetURLs: TargetURLAdmission
    /// Tokens, roles, anonymous reads, the job-creation rate limit, signed links and the audit log.
    public var access: AccessConfiguration
    /// Largest ZIP upload `POST /api/v1/jobs/zip` accepts (the whole multipart body); larger ones get 413.
    public var maxArchiveUploadBytes: Int
    /// Where scan artifacts and reports are kept, for the workbench's report pages and artifact downloads;
    /// `nil` serves neither.
    public var objectStore: (any ObjectStore)?
    /// How long an SSE stream stays silent before a keepalive comment is sent.
    public var sseKeepaliveInterval: Duration
    /// Events queued per SSE client before the oldest are dropped.
    public var sseClientBufferCapacity: Int
    /// Drops in a row, without the client reading, after which an SSE client is evicted.
    public var sseEvictAfterOverflows: Int
    /// Recent ScanJob changes kept for `Last-Event-ID` reconnects; older reconnects get a fresh snapshot.
    public var sseHistoryCapacity: Int
    /// Host names this server answers for besides IP literals, `localhost` and the listen address (the names a
    /// reverse proxy or DNS gives it); requests naming any other host get 421 (DNS rebinding).
    public var allowedHosts: [String]
    /// How long a client may take to send a request's head, and how long a connection may sit idle between
    /// requests, before the server closes it (slow clients).
    public var requestHeadTimeout: Duration
    /// How long a request (other than a watch, an event stream or an upload) may take before it is answered 503
    /// (a read) or 504 (a write, whose outcome is then unknown) with `Retry-After`.
    public var requestTimeout: Duration
    /// How long an Event lives after it was last seen.
    public var eventTTL: Duration
    /// How often expired Events are looked for.
    public var eventExpiryInterval: Duration
    /// HTTPS with a certificate (and client-certificate authentication); `nil` serves plain HTTP.
    public var tls: TLSServing?

    /// A configuration; the defaults listen on 127.0.0.1:8080 and accept bodies up to 3 MiB and keep Events for an
    /// hour after they were last seen, as kube-apiserver does.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxRequestBodyBytes: Int = 3 * 1024 * 1024,
        defaultWatchTimeout: Duration = .seconds(1800), maxWatchTimeout: Duration = .seconds(3600),
        bookmarkInterval: Duration = .seconds(60), storeCheckTimeout: Duration = .seconds(2),
        kubernetesVersion: (major: Int, minor: Int) = (1, 32), artifacts: (any ArtifactReader)? = nil,
        targetURLs: TargetURLAdmission = TargetURLAdmission(), access: AccessConfiguration = AccessConfiguration(),
        maxArchiveUploadBytes: Int = 100 * 1024 * 1024, objectStore: (any ObjectStore)? = nil,
        sseKeepaliveInterval: Duration = .seconds(15), sseClientBufferCapacity: Int = 256, sseEvictAfterOverflows: Int = 256,
        sseHistoryCapacity: Int = 4096, allowedHosts: [String] = [], requestHeadTimeout: Duration = .seconds(20),
        requestTimeout: Duration = .seconds(10), eventTTL: Duration = .seconds(3600), eventExpiryInterval: Duration = .seconds(60),
        tls: TLSServing? = nil
    ) {
        self.requestTimeout = requestTimeout
        self.eventTTL = eventTTL
        self.eventExpiryInterval = eventExpiryInterval
        self.host = host
        self.port = port
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.defaultWatchTimeout = defaultWatchTimeout
        self.maxWatchTimeout = maxWatchTimeout
        self.bookmarkInterval = bookmarkInterval
        self.storeCheckTimeout = storeCheckTimeout
        self.kubernetesVersion = kubernetesVersion
        self.artifacts = artifacts
        self.targetURLs = targetURLs
        self.access = access
        self.maxArchiveUploadBytes = maxArchiveUploadBytes
        self.objectStore = objectStore
        self.sseKeepaliveInterval = sseKeepaliveInterval
        self.sseClientBufferCapacity = sseClientBufferCapacity
        self.sseEvictAfterOverflows = sseEvictAfterOverflows
        self.sseHistoryCapacity = sseHistoryCapacity
        self.allowedHosts = allowedHosts
        self.requestHeadTimeout = requestHeadTimeout
        self.tls = tls
    }
}
