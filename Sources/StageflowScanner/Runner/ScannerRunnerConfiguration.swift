import Foundation
import StageflowAPI

extension ScannerRunner {
    /// How the runner reaches targets and budgets its time; every field has a default.
    public struct Configuration: Sendable {
        /// Asked before every request to a target; `nil` (the default) applies the target policy of the plan
        /// (`TargetFetchPolicy`: blocked ranges always, private ones when the plan allows private targets).
        public var fetchPolicy: (any FetchPolicy)?
        /// Sent as `User-Agent` to targets.
        public var userAgent: String
        /// Use `http_proxy`/`https_proxy`/`no_proxy` for target requests.
        public var useEnvironmentProxy: Bool
        /// The time budget when the plan gives the scanner no `timeoutSeconds`.
        public var defaultTimeoutSeconds: Int64
        /// Environment passed to exec plugins, on top of the variables of their contract.
        public var pluginEnvironment: [String: String]
        /// Where exec plugins get their scratch directory.
        public var temporaryDirectory: URL
        /// Starts the browser of a run that has page scanners needing one (headless Chromium, confined to the
        /// tabs' egress proxies, by default).
        public var launchBrowser: @Sendable () async throws -> any Browser
        /// The egress policy of a plan's browser tabs: its target policy at connect time (blocked ranges always,
        /// private ones when the plan allows them, the plan's own origins); `nil` leaves tabs unproxied (tests
        /// with an in-memory browser).
        public var egressPolicy: @Sendable (ScanPlan) -> EgressPolicy?
        /// Limit on loading one page.
        public var pageTimeoutSeconds: Int64
        /// Screenshots show at most this much of a page, in CSS pixels from the top.
        public var screenshotMaxHeight: Int

        /// A configuration: the plan's target policy, the environment's proxy, a 30-minute default budget,
        /// this process's environment for plugins, headless Chromium, 30 s per page load.
        public init(
            fetchPolicy: (any FetchPolicy)? = nil, userAgent: String = PageFetcher.defaultUserAgent,
            useEnvironmentProxy: Bool = true, defaultTimeoutSeconds: Int64 = 1800,
            pluginEnvironment: [String: String] = ProcessInfo.processInfo.environment,
            temporaryDirectory: URL = FileManager.default.temporaryDirectory,
            launchBrowser: @escaping @Sendable () async throws -> any Browser = { try await ChromiumBrowser.launch(confined: true) },
            egressPolicy: @escaping @Sendable (ScanPlan) -> EgressPolicy? = { ScannerRunner.egressPolicy(of: $0) },
            pageTimeoutSeconds: Int64 = 30,
            screenshotMaxHeight: Int = 6000
        ) {
            self.fetchPolicy = fetchPolicy
            self.userAgent = userAgent
            self.useEnvironmentProxy = useEnvironmentProxy
            self.defaultTimeoutSeconds = defaultTimeoutSeconds
            self.pluginEnvironment = pluginEnvironment
            self.temporaryDirectory = temporaryDirectory
            self.launchBrowser = launchBrowser
            self.egressPolicy = egressPolicy
            self.pageTimeoutSeconds = pageTimeoutSeconds
            self.screenshotMaxHeight = screenshotMaxHeight
        }
    }

    /// The two deadlines of a run with `budgetSeconds`: the soft one, after which scanners stop starting work
    /// and return partial results, and the hard one, after which the runner abandons the scanner. Both leave
    /// time to write results before the container's own limit: a tenth of the budget, between 2 and 30 s.
    static func deadlines(
        budgetSeconds: Int64, from start: ContinuousClock.Instant
    ) -> (soft: ContinuousClock.Instant, hard: ContinuousClock.Instant) {
        let budget = Duration.seconds(max(1, budgetSeconds))
        let margin = min(.seconds(30), max(.seconds(2), budget / 10))
        let hard = start + max(budget - margin / 2, budget / 2)
        let soft = start + max(budget - margin, budget / 3)
        return (soft, hard)
    }
}
