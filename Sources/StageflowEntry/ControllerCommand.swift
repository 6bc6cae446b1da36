import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StageflowClient
import StageflowController
import StageflowPostgres
import StageflowStore

/// `stageflow controller`: the controllers as their own process, against the API server or straight on the
/// PostgreSQL store. Several may run; leader election lets one act at a time.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the controllers as their own process (leader-elected)."
    )

    @Option(name: .long, help: "API server URL (env STAGEFLOW_SERVER).")
    var server: String? = Environment.string("STAGEFLOW_SERVER")

    @Option(
        name: .long,
        help: "File holding the bearer token (role controller) for --server; by default the data directory's controller-token, which stageflow up creates (env STAGEFLOW_TOKEN_FILE; STAGEFLOW_TOKEN gives the token itself).")
    var tokenFile: String? = Environment.string("STAGEFLOW_TOKEN_FILE")

    @Option(
        name: .long,
        help: ArgumentHelp("PEM certificate authorities to trust for an https --server (env STAGEFLOW_CERTIFICATE_AUTHORITY).", valueName: "file"))
    var certificateAuthority: String? = Environment.string("STAGEFLOW_CERTIFICATE_AUTHORITY")

    @Option(name: .long, help: "Use the PostgreSQL store directly instead of the API (env STAGEFLOW_DATABASE_URL).")
    var databaseURL: String? = Environment.string("STAGEFLOW_DATABASE_URL")

    @Option(name: .long, help: "Directory for process-runtime state and the default object store (env STAGEFLOW_DATA_DIR).")
    var dataDir: String = Environment.string("STAGEFLOW_DATA_DIR") ?? "\(NSHomeDirectory())/.stageflow/data"

    @Flag(name: .long, help: "Permit jobs that ask for it to scan private addresses (env STAGEFLOW_ALLOW_PRIVATE_TARGETS).")
    var allowPrivateTargets: Bool = Environment.flag("STAGEFLOW_ALLOW_PRIVATE_TARGETS")

    @OptionGroup var controllers: ControllerOptions

    @Option(name: .long, help: "Log level (env STAGEFLOW_LOG_LEVEL).")
    var logLevel: String = Environment.string("STAGEFLOW_LOG_LEVEL") ?? "info"

    func validate() throws {
        let named = [server != nil, databaseURL != nil].filter { $0 }.count
        guard named == 1 || (named == 0 && controllers.kubernetes.namesCluster) else {
            throw ValidationError(
                "give exactly one of --server URL, --database-url postgres://… or, for the CRDs on a cluster, --kubeconfig FILE or --in-cluster")
        }
        if let server, URL(string: server)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--server must be an http(s) URL, not \"\(server)\"")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level \"\(logLevel)\"") }
    }

    /// The bearer token: `STAGEFLOW_TOKEN`, else the token file, else the data directory's `controller-token`.
    func token(dataDirectory: URL) throws -> String? {
        try ControllerToken.read(tokenFile: tokenFile, dataDirectory: dataDirectory)
    }

    /// A database URL without its password, to name the installation by.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.password = nil
        return components.string ?? url
    }

    func run() async throws {
        var logger = Logger(label: "stageflow.controller")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let client: any ResourceClient
        if let server, let url = URL(string: server) {
            client = APIResourceClient(
                client: StageflowClient(
                    server: url, token: try token(dataDirectory: directory), http: httpClient(authority: certificateAuthority)))
        } else if databaseURL == nil {
            client = try await clusterClient()
        } else {
            let store = ResourceStore(backend: try PostgresBackend(configuration: .init(url: databaseURL ?? ""), logger: logger), logger: logger)
            try await store.start()
            services.append(.init(service: StoreService(store: store)))
            client = StoreResourceClient(store: store)
        }
        let assembly = ControllerAssembly(
            options: controllers, dataDirectory: directory, allowPrivateTargets: allowPrivateTargets, logger: logger,
            installationSource: server.map { "server:" + $0 } ?? databaseURL.map { "database:" + Self.withoutPassword($0) } ?? "cluster")
        // Stopped in reverse order: the controllers (releasing the lease) before the store they write through.
        services.append(.init(service: try assembly.makeService(client: client)))
        announce("Stageflow controller started (runtime \(controllers.runtime.rawValue), objects in \(assembly.objectStoreLocation))")
        try await ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }
}
