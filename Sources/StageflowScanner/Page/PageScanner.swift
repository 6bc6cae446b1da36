import Foundation
import Logging
import StageflowAPI
import StageflowReport

/// A scanner that looks at pages one by one, so that several of them can share one load of each page (one
/// browser navigation feeds axe, performance, seo, open-graph and spelling). The runner loads every page once
/// and hands it to each page scanner's session; a page scanner never loads the page itself.
public protocol PageScanner: Sendable {
    /// The name a manifest's `entry.builtin` selects it by.
    var id: String { get }
    /// Whether it needs the live page in a browser tab (to run script in it or read its metrics); scanners that
    /// only read the markup and headers work on a plain fetch too.
    var requiresBrowser: Bool { get }
    /// Whether it measures the page load itself (timings), so no other page may be loading while it measures:
    /// the runner then loads pages one at a time while the other scanners' work on loaded pages goes on in
    /// parallel tabs.
    var measuresLoad: Bool { get }
    /// Starts a run: decodes the configuration (a mismatch throws `ScannerRunError` with `.badInput`) and
    /// prepares what every page needs (a dictionary, a script).
    func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession
}

extension PageScanner {
    /// Most scanners read a loaded page and do not care what else loads meanwhile.
    public var measuresLoad: Bool { false }
}

/// One run of a page scanner over the pages of a plan.
public protocol PageScanSession: Sendable {
    /// Name and version shown in the report.
    var toolVersion: String { get }
    /// Script the browser runs in every document before the page's own scripts (to observe the load from its
    /// start, e.g. long tasks); `nil` for none.
    var documentStartScript: String? { get }
    /// Checks one page. `tab` is the page live in the browser for scanners that require it; scanners that do not
    /// get `nil` and the loaded document (the runner lets the tab move on to the next page while they read it).
    /// A failure that concerns only this page is returned in the outcome's `errors`.
    func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome
    /// Findings that need every page (duplicate titles across pages, say), after the last `scan`.
    func finish() async throws -> [ScannerFinding]
    /// The rules the scanner checks, with their impact, category and standards, for the report's score.
    var rules: [RuleDescriptor] { get }
}

extension PageScanSession {
    /// No script before the page's own.
    public var documentStartScript: String? { nil }

    /// No declared rules (a scanner that learns its rules from the page puts them in its outcomes).
    public var rules: [RuleDescriptor] { [] }

    /// No cross-page findings.
    public func finish() async throws -> [ScannerFinding] { [] }
}

/// What a page scanner found on one page.
public struct PageScanOutcome: Sendable {
    /// The findings, each with `url` set to the page's URL.
    public var findings: [ScannerFinding]
    /// What this scanner could not check on this page, in words a person can act on.
    public var errors: [String]
    /// The rules checked on the page; those without a finding passed. Empty when nothing was checked.
    public var checked: [String]
    /// Rules that had nothing to check on the page.
    public var inapplicable: [String]
    /// Rules learnt from the page (axe reports its rules with its results).
    public var rules: [RuleDescriptor]
    /// Lab metrics of the page load.
    public var metrics: PageMetrics?

    /// An outcome.
    public init(
        findings: [ScannerFinding] = [], errors: [String] = [], checked: [String] = [], inapplicable: [String] = [],
        rules: [RuleDescriptor] = [], metrics: PageMetrics? = nil
    ) {
        self.findings = findings
        self.errors = errors
        self.checked = checked
        self.inapplicable = inapplicable
        self.rules = rules
        self.metrics = metrics
    }

    /// The rules to list as passed: those checked, less the inapplicable ones. Rules with a finding may stay in
    /// the list; the report counts a finding first.
    public var passed: [String] {
        let skipped = Set(inapplicable)
        return checked.filter { !skipped.contains($0) }
    }
}

/// What a page scanner gets when its run starts.
public struct PageScanSetup: Sendable {
    /// This scanner's entry in the plan (id, configuration, limits).
    public let scanner: PlannedScanner
    /// The one way to reach target sites (for checks that fetch more than the page, e.g. an og:image).
    public let fetcher: PageFetcher
    /// Where to log.
    public let logger: Logger

    /// A setup.
    public init(scanner: PlannedScanner, fetcher: PageFetcher, logger: Logger) {
        self.scanner = scanner
        self.fetcher = fetcher
        self.logger = logger
    }

    /// The job's configuration of this scanner (validated by the API server against the manifest's
    /// `configSchema`).
    public var config: JSONValue? { scanner.config }

    /// Decodes the configuration into `type` (an empty object when none was given); a mismatch is bad input
    /// naming the scanner and the field.
    public func decodeConfig<Config: Decodable>(_ type: Config.Type) throws -> Config {
        do {
            return try (config ?? .object([:])).decode(as: type)
        } catch let error as DecodingError {
            throw ScannerRunError(
                .badInput, "configuration of scanner \"\(scanner.id)\" is invalid: \(DecodingErrorText.describe(error))")
        }
    }
}
