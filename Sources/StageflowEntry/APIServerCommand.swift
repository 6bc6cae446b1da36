import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StageflowObjectStore
import StageflowPostgres
import StageflowServer
import StageflowStore

/// `stageflow apiserver`: the API server alone, on PostgreSQL, for deployments that run the parts separately.
struct APIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apiserver",
        abstract: "Run the Kubernetes-style API server on PostgreSQL."
    )

    @Option(name: .long, help: "libpq URL of the database, postgres://user:pass@host:port/db (env STAGEFLOW_DATABASE_URL).")
    var databaseURL: String? = Environment.string("STAGEFLOW_DATABASE_URL")

    @Option(name: .long, help: "Address to serve the API on (env STAGEFLOW_LISTEN).")
    var listen: ListenAddress = Environment.string("STAGEFLOW_LISTEN").flatMap(ListenAddress.init(argument:))
        ?? ListenAddress(argument: "127.0.0.1:8080")!

    @Option(
        name: .long,
        help: "Object store the controller writes artifacts to, a directory or s3://bucket?endpoint=…; without one, job reports and artifacts are not served (env STAGEFLOW_OBJECT_STORE)."
    )
    var objectStore: String? = Environment.string("STAGEFLOW_OBJECT_STORE")

    @Flag(name: .long, help: "Permit jobs that ask for it to scan private addresses (env STAGEFLOW_ALLOW_PRIVATE_TARGETS).")
    var allowPrivateTargets: Bool = Environment.flag("STAGEFLOW_ALLOW_PRIVATE_TARGETS")

    @OptionGroup var access: AccessOptions

    @OptionGroup var tls: TLSOptions

    @Option(name: .long, help: "Log level (env STAGEFLOW_LOG_LEVEL).")
    var logLevel: String = Environment.string("STAGEFLOW_LOG_LEVEL") ?? "info"

    func validate() throws {
        guard let databaseURL, databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") else {
            throw ValidationError("--database-url postgres://… (or STAGEFLOW_DATABASE_URL) is required")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level \"\(logLevel)\"")
        }
    }

    func run() async throws {
        var logger = Logger(label: "stageflow.apiserver")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        // A bad object-store location stops start-up before anything connects or listens.
        let objects = try objectStore.map { location in
            try ObjectStoreLocation(parsing: location).makeStore(logger: logger, retryWindow: ObjectStoreLocation.serviceRetryWindow)
        }
        let serving = try TLSOptions.serving(tls.settings, logger: logger)
        if tls.clientCAFile != nil && serving == nil {
            throw ValidationError("--client-ca-file needs --tls-cert-file and --tls-private-key-file (client certificates come over TLS)")
        }
        let backend = try PostgresBackend(configuration: .init(url: databaseURL ?? ""), logger: logger)
        let store = ResourceStore(backend: backend, logger: logger)
        try await store.start()
        let listen = self.listen
        let server = APIServer(
            store: store,
            configuration: APIServerConfiguration(
                host: listen.host, port: listen.port, artifacts: objects.map(ObjectStoreArtifactReader.init(objects:)),
                targetURLs: TargetURLAdmission(serverAllowsPrivateTargets: allowPrivateTargets),
                access: try access.configuration(), objectStore: objects, allowedHosts: access.allowedHosts, tls: serving),
            logger: logger)
        let application = try server.makeApplication { port in
            announce("Stageflow API server is serving at \(listen.url(port: port, secure: serving != nil))")
        }
        let group = ServiceGroup(
            configuration: .init(
                // Stopped in reverse order: the server drains its requests before the store closes.
                services: [.init(service: StoreService(store: store)), .init(service: application)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
