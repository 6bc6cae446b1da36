import Hummingbird
import HummingbirdCore
import Logging
import Prometheus
import ServiceLifecycle
import StageflowAPI
import StageflowSchema
import StageflowStore

/// The Kubernetes-style API server of Stageflow: CRUD, the status subresource, watch, discovery, OpenAPI,
/// Table output, merge/JSON patches and server-side apply for ScanJobs, ScanSchedules and Scanners, served
/// from a `ResourceStore` so that `stageflowctl` and a stock `kubectl --server` both work against it.
public struct APIServer: Sendable {
    /// The store every request reads and writes.
    public let store: ResourceStore
    /// The schemas objects are defaulted and validated with.
    public let schemas: SchemaRegistry
    /// Listen address, limits and timeouts.
    public let configuration: APIServerConfiguration
    /// Whether the server is serving, as `/readyz` reports it (together with the store).
    public let readiness: ReadinessState
    let logger: Logger
    let metrics: APIMetrics
    /// The one ScanJob watch behind every SSE stream of the workbench.
    let events: ScanJobEventHub
    /// Authentication, authorisation and the creation limit.
    let access: RequestAccess
    /// The one write path, shared by the routes and the in-process controllers.
    let chain: WriteChain

    /// A server over a started store. `/metrics` renders `metricsRegistry`; pass the registry the process's
    /// `MetricsSystem` records into to show the controllers' metrics there too.
    public init(
        store: ResourceStore, schemas: SchemaRegistry = .builtin, configuration: APIServerConfiguration, logger: Logger,
        metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) {
        self.store = store
        self.schemas = schemas
        self.configuration = configuration
        self.logger = logger
        self.readiness = ReadinessState()
        self.metrics = APIMetrics(registry: metricsRegistry)
        let access = RequestAccess(configuration: configuration.access)
        self.access = access
        self.chain = WriteChain(store: store, schemas: schemas, configuration: configuration, access: access)
        self.events = ScanJobEventHub(
            store: store,
            limits: .init(
                clientBufferCapacity: configuration.sseClientBufferCapacity,
                evictAfterOverflows: configuration.sseEvictAfterOverflows, historyCapacity: configuration.sseHistoryCapacity),
            logger: logger)
    }

    /// The Hummingbird application, to run in a `ServiceGroup`; `onServerRunning` receives the bound port
    /// (useful with port 0, which picks a free one). `/readyz` turns ready once the listener is up and unready
    /// when graceful shutdown starts. With `configuration.tls` it serves HTTPS, reading the certificate again as
    /// it changes.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws
        -> some ApplicationProtocol
    {
        let responder = APIResponder(
            store: store, schemas: schemas, configuration: configuration, logger: logger, metrics: metrics,
            readiness: readiness, events: events, access: access, chain: chain)
        let readiness = self.readiness
        let port = configuration.port
        let logger = self.logger
        // A connection that has not sent a whole request head within the timeout (or sits idle that long between
        // requests) is closed, so slow clients cannot hold connections open.
        let timeout = configuration.requestHeadTimeout.components
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(idleTimeout: .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)))
        let tls = configuration.tls
        var services: [any Service] = [
            ReadinessService(readiness: readiness), events,
            EventExpiry(store: store, ttl: configuration.eventTTL, interval: configuration.eventExpiryInterval, logger: logger),
        ]
        if let tls { services.append(tls.reloader) }
        return Application(
            responder: ClientCertificateResponder(base: responder, readsClientCertificates: tls?.readsClientCertificates ?? false),
            server: try tls?.server(over: http1) ?? http1,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: services,
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                readiness.markServing()
                logger.info("API server listening", metadata: ["port": .stringConvertible(bound)])
                await onServerRunning(bound)
            },
            logger: logger)
    }
}

/// Marks the server stopped once the application shuts down. (While the listener drains, `/readyz` already
/// answers 503 through the graceful-shutdown state of the request's task.)
struct ReadinessService: Service {
    let readiness: ReadinessState

    func run() async throws {
        try? await gracefulShutdown()
        readiness.markStopped()
    }
}

extension APIServer {
    /// A one-time sign-in path for the workbench (`/login?code=…`) that starts a browser session for `token`;
    /// it works once, within 15 minutes. `stageflow up` prints it, so the operator's browser needs no copy-paste.
    public func signInPath(forToken token: String) -> String {
        "/login?code=" + access.sessions.mintCode(forToken: token)
    }
}
