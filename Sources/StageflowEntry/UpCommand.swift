import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StageflowController
import StageflowObjectStore
import StageflowServer
import StageflowStore

/// `stageflow up`: everything in one process on the embedded defaults (SQLite in the data directory).
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run Stageflow in one process on its embedded defaults (SQLite, local processes, a data directory)."
    )

    @Option(name: .long, help: "Directory for the database and artifacts (env STAGEFLOW_DATA_DIR).")
    var dataDir: String = Environment.string("STAGEFLOW_DATA_DIR") ?? "\(NSHomeDirectory())/.stageflow/data"

    @Option(name: .long, help: "Address to serve the API and UI on (env STAGEFLOW_LISTEN).")
    var listen: ListenAddress = Environment.string("STAGEFLOW_LISTEN").flatMap(ListenAddress.init(argument:))
        ?? ListenAddress(argument: "127.0.0.1:8080")!

    @Flag(name: .long, help: "Permit jobs that ask for it to scan private addresses (env STAGEFLOW_ALLOW_PRIVATE_TARGETS).")
    var allowPrivateTargets: Bool = Environment.flag("STAGEFLOW_ALLOW_PRIVATE_TARGETS")

    @OptionGroup var controllers: ControllerOptions

    @OptionGroup var access: AccessOptions

    @OptionGroup var vision: VisionOptions

    @OptionGroup var tls: TLSOptions

    @Flag(
        name: .long,
        help: "Serve HTTPS with a CA and certificate made in the data directory (tls/), and write DIR/kubeconfig for kubectl (env STAGEFLOW_GENERATE_TLS).")
    var generateTLS: Bool = Environment.flag("STAGEFLOW_GENERATE_TLS")

    @Flag(
        name: .long, inversion: .prefixedNo,
        help: "Run the controllers in this process; with --no-run-controllers, run `stageflow controller` separately.")
    var runControllers: Bool = true

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error (env STAGEFLOW_LOG_LEVEL).")
    var logLevel: String = Environment.string("STAGEFLOW_LOG_LEVEL") ?? "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level \"\(logLevel)\"")
        }
        if generateTLS && tls.tlsCertFile != nil {
            throw ValidationError("give either --generate-tls or --tls-cert-file, not both")
        }
        if tls.clientCAFile != nil && tls.tlsCertFile == nil && !generateTLS {
            throw ValidationError("--client-ca-file needs HTTPS: --generate-tls or --tls-cert-file (client certificates come over TLS)")
        }
    }

    func run() async throws {
        // Bootstrap metrics before anything creates a metric, so every metric lands in the served registry.
        let metricsRegistry = ProcessMetrics.registry
        var logger = Logger(label: "stageflow")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the data directory \(dataDir): \(error.localizedDescription)")
        }
        let lock = try DataDirectoryLock(directory: directory)
        let databasePath = directory.appendingPathComponent("stageflow.db").path

        // Never open by default: without a token file, the data directory keeps an admin and a controller token.
        let credentials = access.authTokenFile == nil && !access.insecureNoAuth ? try LocalCredentials.ensure(in: directory) : nil
        let accessConfiguration = try access.configuration(generated: try credentials?.tokens())
        if access.insecureNoAuth {
            logger.warning(
                "--insecure-no-auth: every request, from any program or web page that reaches \(listen.host):\(listen.port), may do everything")
        }

        let (serving, authority) = try servingTLS(dataDirectory: directory, logger: logger)
        let store = ResourceStore(backend: try SQLiteBackend(path: databasePath), logger: logger)
        try await store.start()
        // Configuration errors (an invalid scanner manifest, a bad object-store location) stop start-up here,
        // before anything listens.
        let assembly = ControllerAssembly(
            options: controllers, dataDirectory: directory, allowPrivateTargets: allowPrivateTargets, logger: logger,
            installationSource: "up:" + DataDirectoryLock.identity(for: directory))
        let objects: any ObjectStore
        do {
            objects = try ObjectStoreLocation(parsing: assembly.objectStoreLocation).makeStore(
                logger: logger, retryWindow: ObjectStoreLocation.serviceRetryWindow)
        } catch {
            await store.shutdown()
            throw error
        }
        let listen = self.listen
        let server = APIServer(
            store: store,
            configuration: APIServerConfiguration(
                host: listen.host, port: listen.port, artifacts: ObjectStoreArtifactReader(objects: objects),
                targetURLs: TargetURLAdmission(serverAllowsPrivateTargets: allowPrivateTargets),
                access: accessConfiguration, objectStore: objects, allowedHosts: access.allowedHosts, tls: serving),
            logger: logger, metricsRegistry: metricsRegistry)
        var controllerServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if runControllers {
            do {
                let client = InProcessResourceClient(api: server.inProcessAPI)
                controllerServices.append(
                    .init(service: try assembly.makeService(client: client, identity: DataDirectoryLock.identity(for: directory))))
                if let agent = try VisionService.make(
                    options: vision, client: client, objects: objects, leaseSeconds: controllers.leaderLeaseSeconds, logger: logger)
                {
                    controllerServices.append(.init(service: agent))
                } else {
                    logger.info("\(VisionOptions.offMessage)")
                }
            } catch {
                await store.shutdown()
                throw error
            }
        }
        let application = try server.makeApplication { port in
            let url = listen.url(port: port, secure: serving != nil)
            announce("Stageflow is serving at \(url) (data in \(directory.path))")
            if let authority {
                do {
                    let kubeconfig = try Self.writeKubeconfig(in: directory, url: url, authority: authority, token: credentials?.adminToken)
                    announce("kubectl --kubeconfig \(kubeconfig.path) get scanjobs (trusts the CA in \(authority.path))")
                } catch {
                    announce("warning: cannot write the kubeconfig: \(error)")
                }
            }
            if let credentials {
                announce("Sign in to the workbench (link works once, for 15 minutes): \(url)\(server.signInPath(forToken: credentials.adminToken))")
                announce(
                    "The admin token is in \(credentials.adminTokenFile.path): stageflowctl on this machine reads it there "
                        + "(set STAGEFLOW_DATA_DIR=\(directory.path) if that is not its default); kubectl --server \(url) --token \"$(cat \(credentials.adminTokenFile.path))\"")
            }
        }
        // A service group stops its services in reverse order: the controllers first (they release the lease
        // through the store), then the server (draining its requests), and the store last.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: StoreService(store: store)), .init(service: application)] + controllerServices,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        withExtendedLifetime(lock) {}
    }
}
