import Foundation
import StageflowAPI

/// The unified report of one scan job (contract 3.0.0): every scanner's findings normalised, fingerprinted
/// and deduplicated into issues (one per rule per page, elements beneath), items that need review apart,
/// every rule's outcome per page, the category scores, the pages and their evidence, scanner status,
/// artifacts, errors and, when a baseline was given, the diff against it.
///
/// `manifests/schema/report.schema.json` is the JSON Schema of its encoding and lists what changed between
/// contract versions; the web UI, `stageflowctl report` and every renderer read this one value. Reports of
/// contract 2 still decode (as baselines): their issues become one per element.
public struct Report: Codable, Sendable, Hashable {
    /// The contract version this module writes.
    public static let contractVersion = "3.0.0"

    /// Contract version, `3.0.0`.
    public var version: String
    /// Whether every scanner completed (`complete`), some did not (`partial`) or none did (`failed`).
    public var status: ReportStatus
    /// Which job, which site, when.
    public var meta: ReportMeta
    /// Scores, counts and the rules that cost the most.
    public var summary: ReportSummary
    /// Every scanner of the job with its outcome, sorted by id.
    public var scanners: [ScannerReport]
    /// Every page seen by any scanner, sorted by URL.
    public var pages: [PageReport]
    /// Issues (violations), one per scanner rule per page, most severe first, then by page and id.
    public var issues: [Issue]
    /// Items that need review, one per scanner rule per page, in the same order; not in the score.
    public var needsReview: [Issue]
    /// Every rule checked, with its outcome per page and what it costs its category, by scanner and rule.
    public var rules: [RuleResult]
    /// Stored files of the job (per-scanner results and reports, screenshots, the report itself).
    public var artifacts: [Artifact]
    /// Scanner failures and page errors.
    public var errors: [ReportError]
    /// The comparison with the baseline report, when there was one.
    public var diff: ReportDiff?
    /// The vision agent's journeys, by scanner, when the job walked any.
    public var journeys: [JourneyRecord]?

    /// A report.
    public init(
        version: String = Report.contractVersion, status: ReportStatus, meta: ReportMeta, summary: ReportSummary,
        scanners: [ScannerReport], pages: [PageReport], issues: [Issue], needsReview: [Issue] = [], rules: [RuleResult] = [],
        artifacts: [Artifact], errors: [ReportError], diff: ReportDiff? = nil
    ) {
        self.version = version
        self.status = status
        self.meta = meta
        self.summary = summary
        self.scanners = scanners
        self.pages = pages
        self.issues = issues
        self.needsReview = needsReview
        self.rules = rules
        self.artifacts = artifacts
        self.errors = errors
        self.diff = diff
    }

    /// Reads contract 3 reports, and contract 2 ones (no needs-review list or rules; issues that were
    /// needs-review items, `severityRaw` `review-…`, are moved to `needsReview`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        status = try container.decode(ReportStatus.self, forKey: .status)
        meta = try container.decode(ReportMeta.self, forKey: .meta)
        summary = try container.decode(ReportSummary.self, forKey: .summary)
        scanners = try container.decodeIfPresent([ScannerReport].self, forKey: .scanners) ?? []
        pages = try container.decodeIfPresent([PageReport].self, forKey: .pages) ?? []
        let decoded = try container.decodeIfPresent([Issue].self, forKey: .issues) ?? []
        issues = decoded.filter { $0.outcome == .violation }
        needsReview = (try container.decodeIfPresent([Issue].self, forKey: .needsReview) ?? [])
            + decoded.filter { $0.outcome == .needsReview }
        rules = try container.decodeIfPresent([RuleResult].self, forKey: .rules) ?? []
        artifacts = try container.decodeIfPresent([Artifact].self, forKey: .artifacts) ?? []
        errors = try container.decodeIfPresent([ReportError].self, forKey: .errors) ?? []
        diff = try container.decodeIfPresent(ReportDiff.self, forKey: .diff)
        journeys = try container.decodeIfPresent([JourneyRecord].self, forKey: .journeys)
    }

    /// Whether the report has a score at all: `false` when no category could be scored (nothing completed).
    public var hasScore: Bool { summary.score != nil }
}

/// How complete a report is.
public enum ReportStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every scanner that was not skipped succeeded.
    case complete
    /// At least one scanner completed, at least one failed or was partial: the report holds what there is.
    case partial
    /// No scanner completed.
    case failed
}

extension Report {
    /// The encoding with sorted keys, so equal reports give equal bytes.
    public func jsonData(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Decodes a report from `report.json`.
    public static func decode(from data: Data) throws -> Report {
        try JSONDecoder().decode(Report.self, from: data)
    }
}
