import Logging
import StageflowAPI
import StageflowObjectStore
import StageflowRuntime

/// The ScanJob controller, assembled: informers for ScanJobs and Scanners, the scanner catalog, the
/// reconciler and its workers.
public struct ScanJobController: Sendable {
    /// The controller to run.
    public let controller: Controller
    /// The ScanJob informer (its cache is what the reconciler reads).
    public let jobs: Informer
    /// The Scanner informer.
    public let scanners: Informer

    /// Builds the controller; call `run()` to start it.
    public init(
        client: any ResourceClient, runtime: any PodRuntime, objects: any ObjectStore,
        configuration: ScanJobReconcilerConfiguration, workers: Int = 4, logger: Logger
    ) {
        jobs = Informer(client: client, kind: .scanJob, logger: logger)
        scanners = Informer(client: client, kind: .scanner, logger: logger)
        let reconciler = ScanJobReconciler(
            jobs: jobs.cache, client: client, runtime: runtime, objects: objects,
            scanners: ScannerCatalog(cache: scanners.cache), configuration: configuration, logger: logger)
        controller = Controller(
            name: "scanjob", primary: jobs, secondary: [scanners], reconciler: reconciler, workers: workers, logger: logger)
    }

    /// Runs until cancelled.
    public func run() async {
        await controller.run()
    }
}
