import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowObjectStore
import StageflowRuntime
import StageflowStore

/// Apply → scanner container running on Podman, through the whole controller, against the Podman CLI creating
/// the same pod and container (host root through a read-only overlay, host network), in the same run.
struct PodmanComparison {
    let rounds: Int

    struct Result {
        var oursMs: Double
        var cliMs: Double
    }

    func run() async throws -> Result {
        let service = try PodmanServiceProcess()
        defer { service.stop() }
        let store = try await ControllerBenchmark.makeStore()
        let objects = MemoryObjectStore()
        let runtime = PodmanRuntime(configuration: .init(socketPath: service.socketPath, image: .hostRootOverlay))
        // The container sleeps; what is measured is how soon it runs.
        var configuration = ScanJobReconcilerConfiguration(scannerCommand: ["/bin/sh", "-c", "sleep 30", "sh"], objectStoreLocation: "memory")
        configuration.pollInterval = .milliseconds(50)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let client = StoreResourceClient(store: store)
        let informers = InformerSet(client: client, logger: logger)
        let controller = ScanJobController(
            informers: informers, client: client, runtime: runtime, objects: objects, configuration: configuration,
            workers: 2, logger: logger)
        let running = Task { await ControllerManager.run([controller], on: informers, logger: logger) }
        var ours: [Double] = []
        var cli: [Double] = []
        for round in 0..<rounds {
            let start = ContinuousClock.now
            let created = try await store.create(.scanJob, try JSONValue(encoding: ScanJob(
                metadata: ObjectMeta(name: "podman-\(round)", namespace: "bench"),
                spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: [ScannerSelection(name: "noop")]))))
            let uid = created[path: ["metadata", "uid"]]?.stringValue ?? ""
            while try await runtime.observe(jobUID: uid)?.containers["noop"] != .running {
                try await Task.sleep(for: .milliseconds(5))
            }
            ours.append(start.duration(to: .now).seconds * 1000)
            try await runtime.deletePod(jobUID: uid)

            let pod = "bench-cli-\(round)-\(UUID().uuidString.prefix(6).lowercased())"
            let cliStart = ContinuousClock.now
            try service.podman(["pod", "create", "--name", pod])
            try service.podman(["run", "-d", "--pod", pod, "--network", "host", "--rootfs", "/:O", "/bin/sleep", "30"])
            cli.append(cliStart.duration(to: .now).seconds * 1000)
            try service.podman(["pod", "rm", "-f", pod])
        }
        running.cancel()
        await store.shutdown()
        return Result(oursMs: ours.sorted()[ours.count / 2], cliMs: cli.sorted()[cli.count / 2])
    }
}

/// A Podman API service on a socket of its own for the benchmark.
final class PodmanServiceProcess {
    let socketPath: String
    private let process = Process()
    private let environment: [String: String]

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-podman-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("podman.sock").path
        var environment = ProcessInfo.processInfo.environment
        let conf = FileManager.default.currentDirectoryPath + "/deploy/podman/containers.conf"
        if FileManager.default.fileExists(atPath: conf) { environment["CONTAINERS_CONF"] = conf }
        self.environment = environment
        process.executableURL = URL(fileURLWithPath: "/usr/bin/podman")
        process.arguments = ["system", "service", "--time=0", "unix://\(socketPath)"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socketPath) { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// Runs the Podman CLI against this service.
    func podman(_ arguments: [String]) throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/podman")
        child.arguments = ["--url", "unix://\(socketPath)"] + arguments
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else {
            throw BenchmarkError("podman \(arguments.joined(separator: " ")) exited \(child.terminationStatus)")
        }
    }

    func stop() {
        process.terminate()
        kill(process.processIdentifier, SIGKILL)
    }
}
