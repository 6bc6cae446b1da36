import Foundation
import Logging
import StageflowAPI

/// Everything a built-in scanner gets for one run: the plan, its own entry and configuration, the one way to
/// reach target sites, where to put evidence, and when its time is up.
public struct ScanContext: Sendable {
    /// The job's scan plan.
    public let plan: ScanPlan
    /// This scanner's entry in the plan (id, configuration, limits, severity mapping).
    public let scanner: PlannedScanner
    /// Every request to a target goes through this.
    public let fetcher: PageFetcher
    /// Stores evidence under the scanner's prefix.
    public let evidence: EvidenceWriter
    /// After this instant the scanner should stop starting work and return what it has (status `partial`).
    public let deadline: ContinuousClock.Instant
    /// Where to log progress.
    public let logger: Logger

    /// A context.
    public init(
        plan: ScanPlan, scanner: PlannedScanner, fetcher: PageFetcher, evidence: EvidenceWriter,
        deadline: ContinuousClock.Instant, logger: Logger
    ) {
        self.plan = plan
        self.scanner = scanner
        self.fetcher = fetcher
        self.evidence = evidence
        self.deadline = deadline
        self.logger = logger
    }

    /// The job's configuration of this scanner, as given (validated by the API server against the manifest's
    /// `configSchema`).
    public var config: JSONValue? { scanner.config }

    /// Whether the time budget has run out.
    public var isPastDeadline: Bool { ContinuousClock.now >= deadline }

    /// Decodes the configuration into `type` (an empty object when none was given); a mismatch is bad
    /// input naming the scanner and the field.
    public func decodeConfig<Config: Decodable>(_ type: Config.Type) throws -> Config {
        do {
            return try (config ?? .object([:])).decode(as: type)
        } catch let error as DecodingError {
            throw ScannerRunError(
                .badInput, "configuration of scanner \"\(scanner.id)\" is invalid: \(DecodingErrorText.describe(error))")
        }
    }

    /// Fetches the plan's pages (and, when it crawls, the pages they lead to) within the time budget.
    public func crawlPages(
        timeout: Duration, retriesUnverifiedTLS: Bool = false, maxBodyBytes: Int = 5 << 20
    ) async throws -> PageCrawler.Outcome {
        let options = PageCrawler.Options(
            crawl: plan.crawl, concurrency: Int(clamping: max(1, scanner.maxConcurrency)), timeout: timeout,
            maxBodyBytes: maxBodyBytes, retriesUnverifiedTLS: retriesUnverifiedTLS, deadline: deadline)
        return try await PageCrawler(fetcher: fetcher, options: options).crawl(seeds: plan.urls)
    }
}
