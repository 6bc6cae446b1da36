import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowObjectStore
import StageflowScanner
import StageflowVision

/// The vision controller: a long-lived process part (`stageflow vision`, or inside `stageflow up` when a model
/// endpoint is configured) that walks the journeys of ScanJobs selecting a scanner it runs (`ai-navigator`). It owns
/// what journeys share — one model client with a global request limit, the spend ledger, one browser — and acts only
/// while it holds its own Lease (`stageflow-system/stageflow-vision`), so exactly one process walks a journey.
///
/// Each leadership term gets a fresh informer, controller and journey pool, so a process that loses its lease and
/// wins it back reconciles again; losing it stops every journey of the term (they write nothing, and the next
/// leader starts them over once).
public struct VisionController: Sendable {
    private let client: any ResourceClient
    private let objects: any ObjectStore
    private let configuration: VisionControllerConfiguration
    private let browsers: BrowserSupply
    private let model: any ModelClient
    /// Spending across every journey of this process.
    public let ledger: SpendLedger
    private let logger: Logger

    /// A controller reading jobs through `client`, storing journeys in `objects`, starting browsers with
    /// `launchBrowser` (a confined headless Chromium by default) and asking `model` (the endpoint's client over
    /// libcurl by default).
    public init(
        client: any ResourceClient, objects: any ObjectStore, configuration: VisionControllerConfiguration,
        launchBrowser: @escaping @Sendable () async throws -> any Browser = { try await ChromiumBrowser.launch(confined: true) },
        model: (any ModelClient)? = nil, logger: Logger
    ) {
        self.client = client
        self.objects = objects
        self.configuration = configuration
        self.browsers = BrowserSupply(launch: launchBrowser)
        self.model = model
            ?? OpenAIModelClient(
                endpoint: configuration.endpoint, limiter: RequestLimiter(maxConcurrent: configuration.maxModelRequests), logger: logger)
        self.ledger = SpendLedger()
        self.logger = logger
    }

    /// The candidate for this controller's Lease.
    public func elector(timing: LeaderElector.Timing = .init()) -> LeaderElector {
        LeaderElector(
            client: client, namespace: ScannerController.leaseNamespace,
            name: ScannerController.leaseName(VisionControllerConfiguration.controllerName),
            identity: configuration.identity, timing: timing, logger: logger)
    }

    /// Campaigns with `elector` and runs a fresh term while leading, until the task is cancelled; closes the browser
    /// on the way out.
    public func run(electedBy elector: LeaderElector) async {
        logger.info("vision controller campaigning as \(elector.identity) (model \(configuration.endpoint.model) at \(configuration.endpoint.baseURL.absoluteString))")
        await elector.run { await runTerm() }
        await browsers.close()
    }

    /// One leadership term: informers of ScanJobs and Scanners, the reconciler and the journey pool, until cancelled.
    public func runTerm() async {
        let informers = InformerSet(client: client, logger: logger)
        let jobs = informers.informer(for: .scanJob)
        let scanners = informers.informer(for: .scanner)
        let pool = JourneyPool(maxJourneys: configuration.maxJourneys)
        let walker = JourneyWalker(
            objects: objects, browsers: browsers, model: model, ledger: ledger, configuration: configuration, logger: logger)
        let reconciler = VisionReconciler(
            jobs: jobs.cache, scanners: scanners.cache, objects: objects, pool: pool, walker: walker, configuration: configuration,
            logger: logger)
        let controller = Controller(name: "vision", reconciler: reconciler, workers: 2, logger: logger)
        controller.watchPrimary(jobs)
        controller.needsCache(scanners)
        let logger = self.logger
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await informers.run() }
            group.addTask { await pool.run() }
            group.addTask {
                do {
                    try await controller.run()
                } catch {
                    logger.error("vision controller stopped: \(error)")
                }
            }
            await group.waitForAll()
        }
    }
}
