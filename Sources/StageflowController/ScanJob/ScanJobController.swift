import Logging
import StageflowAPI
import StageflowObjectStore
import StageflowRuntime

/// The ScanJob controller, assembled on one term's informers: the reconciler and its workers over the ScanJob
/// informer, the scanner catalog over the Scanner informer, and the collector of pods whose job is gone. With an
/// event recorder, its steps and failed passes become Events on the job.
public struct ScanJobController: Runnable {
    public let name = "scanjob"
    /// The controller to run.
    public let controller: Controller<ObjectName>
    /// The ScanJob informer (its cache is what the reconciler reads).
    public let jobs: Informer
    /// The Scanner informer.
    public let scanners: Informer
    private let pods: OrphanPodCollector

    /// Builds the controller on `informers`; call `run()` (once) to start it.
    public init(
        informers: InformerSet, client: any ResourceClient, runtime: any PodRuntime, objects: any ObjectStore,
        configuration: ScanJobReconcilerConfiguration, workers: Int = 4, events: EventRecorder? = nil, logger: Logger
    ) {
        jobs = informers.informer(for: .scanJob)
        scanners = informers.informer(for: .scanner)
        let reconciler = ScanJobReconciler(
            jobs: jobs.cache, client: client, runtime: runtime, objects: objects,
            scanners: ScannerCatalog(cache: scanners.cache), configuration: configuration, events: events, logger: logger)
        controller = Controller(name: name, reconciler: reconciler, workers: workers, logger: logger)
        controller.watchPrimary(jobs)
        controller.needsCache(scanners)
        // A scanner that ended wakes its job at once; the reconciler's poll is the fallback.
        let cache = jobs.cache
        controller.watch(channel: runtime.containerExits()) { uid in
            cache.list().filter { $0[path: ["metadata", "uid"]]?.stringValue == uid }.compactMap { ObjectName(of: $0) }
        }
        if let events {
            let jobs = jobs
            controller.reportFailures { key, error in
                guard let job = jobs.cache.get(key) else { return }
                events.warning(job, kind: .scanJob, reason: "ReconcileFailed", message: "\(error)")
            }
        }
        pods = OrphanPodCollector(
            runtime: runtime, jobs: jobs, interval: configuration.podCollectionInterval, installation: configuration.installation,
            logger: logger)
    }

    /// Runs the controller and the pod collector until cancelled.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await controller.run() }
            group.addTask { try await pods.run() }
            try await group.waitForAll()
        }
    }
}
