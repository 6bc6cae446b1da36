import Foundation
import Logging
import ServiceLifecycle
import StageflowController
import StageflowObjectStore
import StageflowRuntime

/// Builds the controllers from flags: runtime, object store, scanner registry and the ScanJob controller, all
/// behind leader election.
struct ControllerAssembly {
    let options: ControllerOptions
    let dataDirectory: URL
    let allowPrivateTargets: Bool
    let logger: Logger
    /// What identifies this installation when `--installation` does not name it (see `InstallationName`).
    var installationSource: String = ""

    /// The object-store location: the flag, or `<data-dir>/objects`.
    var objectStoreLocation: String {
        options.objectStore ?? dataDirectory.appendingPathComponent("objects").path
    }

    /// The running `stageflow` binary, so scanner containers run the same build.
    static var executable: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }

    func makeRuntime(objectStore location: ObjectStoreLocation) throws -> any PodRuntime {
        switch options.runtime {
        case .process:
            return ProcessRuntime(root: dataDirectory.appendingPathComponent("pods"), logger: logger)
        case .podman:
            var mounts: [String] = []
            if case .filesystem(let root) = location { mounts.append(root.path) }
            let image = options.scannerImage.map(PodmanRuntime.Image.image) ?? .hostRootOverlay
            // Containers of the host root run this very build; keep its directory visible under their tmpfs /tmp.
            let build = image == .hostRootOverlay ? [Self.executable.deletingLastPathComponent().path] : []
            return PodmanRuntime(
                configuration: .init(socketPath: options.podmanSocket, image: image, bindMounts: mounts, readOnlyBindMounts: build),
                logger: logger)
        case .kubernetes:
            return try options.kubernetes.runtime(image: options.scannerImage, logger: logger)
        }
    }

    /// Loads and validates the scanner manifests (failing start-up on an invalid one) and builds the service:
    /// every leadership term gets a fresh ScanJob and ScanSchedule controller, garbage collector and event
    /// recorder on fresh informers.
    func makeService(client: any ResourceClient, identity: String = LeaderElector.defaultIdentity()) throws -> ControllerService {
        let registry = try options.scannerRegistry()
        let location = try ObjectStoreLocation(parsing: objectStoreLocation)
        let objects = try location.makeStore(logger: logger, retryWindow: ObjectStoreLocation.serviceRetryWindow)
        let runtime = try makeRuntime(objectStore: location)
        var reconcilerConfiguration = ScanJobReconcilerConfiguration(
            scannerCommand: [Self.executable.path], objectStoreLocation: objectStoreLocation,
            allowPrivateTargets: allowPrivateTargets, installedEntries: registry.installedEntries,
            installation: InstallationName.make(explicit: options.installation, source: installationSource))
        reconcilerConfiguration.blockedDeadline = .seconds(options.blockedDeadlineSeconds)
        reconcilerConfiguration.scannerRestartLimit = options.scannerRestarts
        let configuration = reconcilerConfiguration
        let workers = options.workers
        let logger = self.logger
        let notifier = WebhookRunNotifier(objects: objects, delivery: options.webhookDelivery, workbenchURL: options.workbenchURL)
        let manager = ControllerManager(client: client, logger: logger) { informers in
            let events = EventRecorder(client: client, component: "stageflow-controller", instance: identity, logger: logger)
            return [
                events,
                ScanJobController(
                    informers: informers, client: client, runtime: runtime, objects: objects, configuration: configuration,
                    workers: workers, events: events, logger: logger),
                ScanScheduleController(
                    informers: informers, client: client, events: RecordedScheduleEvents(events), notifier: notifier,
                    logger: logger),
                GarbageCollector(informers: informers, client: client, logger: logger),
            ]
        }
        return ControllerService(
            client: client, registry: registry, manager: manager,
            elector: LeaderElector(client: client, identity: identity, timing: leaderTiming, logger: logger), logger: logger)
    }

    /// Renew every fifth of the lease; give up leading after four fifths without a renewal.
    var leaderTiming: LeaderElector.Timing {
        let lease = Double(options.leaderLeaseSeconds)
        return LeaderElector.Timing(
            leaseDuration: .seconds(lease), renewDeadline: .milliseconds(Int(lease * 800)),
            retryPeriod: .milliseconds(Int(lease * 200)))
    }
}

/// The controllers as a service: publishes the scanner manifests, then campaigns for leadership and runs a fresh
/// term of controllers each time it leads, until graceful shutdown, when it stops them and releases the lease.
struct ControllerService: Service, CustomStringConvertible {
    let client: any ResourceClient
    let registry: ScannerRegistry
    let manager: ControllerManager
    let elector: LeaderElector
    let logger: Logger

    var description: String { "ControllerService(\(elector.identity))" }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var attempt = 0
            while true {
                do {
                    try await registry.publish(to: client, logger: logger)
                    break
                } catch {
                    attempt += 1
                    logger.warning("publishing scanner manifests failed (\(error)); retrying")
                    try await Task.sleep(for: .milliseconds(min(200 * attempt, 5000)))
                }
            }
            logger.info("\(registry.entries.count) scanners registered; campaigning as \(elector.identity)")
            await manager.run(electedBy: elector)
        }
    }
}
