import Foundation
import Logging
import StageflowAPI
import StageflowReport
import StageflowScanner

/// Walks journeys: for one plan entry of `ai-navigator`, opens a tab of its own (its own browser context, every
/// request through the plan's target policy and egress proxy, as the page scanners' tabs), and repeats — read the
/// page, check the goal, run axe on a new state, take the marked screenshot, ask the model, act — until the goal
/// is reached, the site stops it, the agent fails, or a budget runs out. Returns the scanner's results, journey
/// included, after storing each step's screenshot as evidence; writing `results.json` is the caller's.
public struct JourneyRunner: Sendable {
    /// How pages are read and how long actions may take.
    public struct Settings: Sendable {
        /// How the page is read and pictured.
        public var analyzer: PageAnalyzer
        /// Limit on loading a page.
        public var pageTimeout: Duration
        /// Limit on waiting for an action's navigation.
        public var settleTimeout: Duration
        /// `detail` of the image part (`low`, `high`, `auto`).
        public var imageDetail: String
        /// Viewport width, CSS pixels.
        public var viewportWidth: Int
        /// Viewport height, CSS pixels.
        public var viewportHeight: Int
        /// The egress policy of a plan's tab; `nil` leaves the tab unproxied (in-memory tests).
        public var egressPolicy: @Sendable (ScanPlan) -> EgressPolicy?
        /// Told the overhead of each step outside the model (analysis, screenshot, encoding, request building) and the
        /// request's size, for benchmarks.
        public var overheadObserver: (@Sendable (StepOverhead) -> Void)?

        /// Settings: the default analyzer, 30 s per page, 15 s per action, a 1280×800 viewport, the plan's egress.
        public init(
            analyzer: PageAnalyzer = PageAnalyzer(), pageTimeout: Duration = .seconds(30), settleTimeout: Duration = .seconds(15),
            imageDetail: String = "auto", viewportWidth: Int = 1280, viewportHeight: Int = 800,
            egressPolicy: @escaping @Sendable (ScanPlan) -> EgressPolicy? = { ScannerRunner.egressPolicy(of: $0) },
            overheadObserver: (@Sendable (StepOverhead) -> Void)? = nil
        ) {
            self.analyzer = analyzer
            self.pageTimeout = pageTimeout
            self.settleTimeout = settleTimeout
            self.imageDetail = imageDetail
            self.viewportWidth = viewportWidth
            self.viewportHeight = viewportHeight
            self.egressPolicy = egressPolicy
            self.overheadObserver = overheadObserver
        }
    }

    let browser: any Browser
    let model: any ModelClient
    let endpoint: ModelEndpoint
    let ledger: SpendLedger
    let credentials: CredentialStore
    let settings: Settings
    let logger: Logger

    /// A runner driving tabs of `browser` and asking `model` (at `endpoint`, whose model name and prices it uses).
    public init(
        browser: any Browser, model: any ModelClient, endpoint: ModelEndpoint, ledger: SpendLedger = SpendLedger(),
        credentials: CredentialStore = CredentialStore(directory: nil), settings: Settings = Settings(),
        logger: Logger = Logger(label: "stageflow.vision")
    ) {
        self.browser = browser
        self.model = model
        self.endpoint = endpoint
        self.ledger = ledger
        self.credentials = credentials
        self.settings = settings
        self.logger = logger
    }

    /// Walks the journey `request` describes and returns the scanner's results. A bad configuration, a missing
    /// secret or an unopenable start page gives failed results saying so; only a browser that went away and
    /// cancellation throw.
    public func run(_ request: JourneyRequest) async throws -> ScannerResults {
        let started = Date()
        let configuration: JourneyConfiguration
        let secret: JourneyCredentials
        do {
            configuration = try JourneyConfiguration.decode(request.scanner.config)
            secret = try configuration.credentials.map { JourneyCredentials(fields: try credentials.secret($0.secretRef)) } ?? .empty
        } catch {
            return .failed(scanner: request.scanner.id, error: "\(error)")
        }
        guard let startURL = configuration.startUrl ?? request.plan.urls.first else {
            return .failed(scanner: request.scanner.id, error: "the journey has no start URL: give config.startUrl or a URL in spec.target")
        }
        let walk = JourneyWalk(
            runner: self, request: request, configuration: configuration, credentials: secret, startURL: startURL, started: started)
        var results = try await walk.run()
        results.toolVersion = "stageflow vision agent (\(endpoint.model)) in \(browser.version)"
        ledger.recordJourney()
        return results
    }
}

/// One journey to walk.
public struct JourneyRequest: Sendable {
    /// The job's plan.
    public var plan: ScanPlan
    /// The plan's entry of the journey's scanner (its `config` says what to do).
    public var scanner: PlannedScanner
    /// Where step screenshots go.
    public var evidence: EvidenceWriter
    /// 1, or 2 when started over after an interruption.
    public var attempt: Int
    /// The job's own deadline, if it ends before the journey's time budget.
    public var deadline: ContinuousClock.Instant?
    /// Told where the journey stands after every step.
    public var progress: @Sendable (JourneyProgress) async -> Void

    /// A request.
    public init(
        plan: ScanPlan, scanner: PlannedScanner, evidence: EvidenceWriter, attempt: Int = 1, deadline: ContinuousClock.Instant? = nil,
        progress: @escaping @Sendable (JourneyProgress) async -> Void = { _ in }
    ) {
        self.plan = plan
        self.scanner = scanner
        self.evidence = evidence
        self.attempt = attempt
        self.deadline = deadline
        self.progress = progress
    }
}

/// What one step cost outside the model's own time.
public struct StepOverhead: Sendable, Hashable {
    /// Reading the page (the analysis script).
    public var analysis: Duration
    /// The marked screenshot (overlay, capture, JPEG).
    public var screenshot: Duration
    /// Building the request (prompt text, base64 of the image, JSON).
    public var requestBuilding: Duration
    /// Bytes of the request body.
    public var requestBytes: Int

    /// The three together.
    public var total: Duration { analysis + screenshot + requestBuilding }
}
