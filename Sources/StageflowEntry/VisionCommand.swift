import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StageflowClient
import StageflowController
import StageflowObjectStore

/// `stageflow vision`: the vision controller as its own process, against the API server, leader-elected through its
/// own Lease. Several may run; one walks journeys at a time.
struct VisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vision",
        abstract: "Run the vision agent's controller as its own process (leader-elected), walking ai-navigator journeys."
    )

    @Option(name: .long, help: "API server URL (env STAGEFLOW_SERVER).")
    var server: String? = Environment.string("STAGEFLOW_SERVER")

    @Option(
        name: .long,
        help: "File holding the bearer token (role controller); by default the data directory's controller-token (env STAGEFLOW_TOKEN_FILE; STAGEFLOW_TOKEN gives the token itself).")
    var tokenFile: String? = Environment.string("STAGEFLOW_TOKEN_FILE")

    @Option(name: .long, help: "Directory holding controller-token and the default object store (env STAGEFLOW_DATA_DIR).")
    var dataDir: String = Environment.string("STAGEFLOW_DATA_DIR") ?? "\(NSHomeDirectory())/.stageflow/data"

    @Option(name: .long, help: "Object store: a directory or s3://bucket?endpoint=… (env STAGEFLOW_OBJECT_STORE).")
    var objectStore: String? = Environment.string("STAGEFLOW_OBJECT_STORE")

    @Option(
        name: .long,
        help: "Seconds an unrenewed lease stays valid; a standby takes over after it (env STAGEFLOW_LEADER_LEASE_SECONDS).")
    var leaderLeaseSeconds: Int = Environment.string("STAGEFLOW_LEADER_LEASE_SECONDS").flatMap(Int.init) ?? 10

    @OptionGroup var vision: VisionOptions

    @Option(name: .long, help: "Log level (env STAGEFLOW_LOG_LEVEL).")
    var logLevel: String = Environment.string("STAGEFLOW_LOG_LEVEL") ?? "info"

    func validate() throws {
        guard let server else { throw ValidationError("give --server URL (the API server the vision controller works against)") }
        guard URL(string: server)?.scheme?.hasPrefix("http") == true else {
            throw ValidationError("--server must be an http(s) URL, not \"\(server)\"")
        }
        guard vision.isConfigured else {
            throw ValidationError("give --vision-model MODEL (and --vision-api-key-file FILE or OPENROUTER_API_KEY for OpenRouter)")
        }
        guard leaderLeaseSeconds >= 2, leaderLeaseSeconds <= 300 else {
            throw ValidationError("--leader-lease-seconds must be between 2 and 300")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level \"\(logLevel)\"") }
    }

    func run() async throws {
        var logger = Logger(label: "stageflow.vision")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true)
        guard let server, let url = URL(string: server) else { throw ValidationError("give --server URL") }
        let token = try ControllerToken.read(tokenFile: tokenFile, dataDirectory: directory)
        let client = APIResourceClient(client: StageflowClient(server: url, token: token))
        let location = objectStore ?? directory.appendingPathComponent("objects").path
        let objects = try ObjectStoreLocation(parsing: location).makeStore(logger: logger)
        guard
            let service = try VisionService.make(
                options: vision, client: client, objects: objects, leaseSeconds: leaderLeaseSeconds, logger: logger)
        else { throw ValidationError("give --vision-model MODEL") }
        announce("Stageflow vision controller started (model \(vision.model ?? ""), objects in \(location))")
        try await ServiceGroup(
            configuration: .init(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }
}
