import Foundation
import StageflowAPI

/// The unified report of one scan job (contract 2.0.0): every scanner's findings normalised, fingerprinted
/// and deduplicated, with the score, the pages and their evidence, scanner status, artifacts, errors and,
/// when a baseline was given, the diff against it.
///
/// `manifests/schema/report.schema.json` is the JSON Schema of its encoding; the web UI, `stageflowctl
/// report` and every renderer read this one value.
public struct Report: Codable, Sendable, Hashable {
    /// The contract version this module writes.
    public static let contractVersion = "2.0.0"

    /// Contract version, `2.0.0`.
    public var version: String
    /// Whether every scanner completed (`complete`), some did not (`partial`) or none did (`failed`).
    public var status: ReportStatus
    /// Which job, which site, when.
    public var meta: ReportMeta
    /// Score, grade and counts.
    public var summary: ReportSummary
    /// Every scanner of the job with its outcome, sorted by id.
    public var scanners: [ScannerReport]
    /// Every page seen by any scanner, sorted by URL.
    public var pages: [PageReport]
    /// Deduplicated issues, most severe first, then by page and id.
    public var issues: [Issue]
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
        scanners: [ScannerReport], pages: [PageReport], issues: [Issue], artifacts: [Artifact],
        errors: [ReportError], diff: ReportDiff? = nil
    ) {
        self.version = version
        self.status = status
        self.meta = meta
        self.summary = summary
        self.scanners = scanners
        self.pages = pages
        self.issues = issues
        self.artifacts = artifacts
        self.errors = errors
        self.diff = diff
    }
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

    /// The headline numbers for `ScanJob.status.summary`.
    public var scanSummary: ScanSummary {
        var fields: [String: JSONValue] = [
            "score": .double(summary.score),
            "grade": .string(summary.grade),
            "totalIssues": .int(Int64(summary.totalIssues)),
            "bySeverity": .object(summary.bySeverity.dictionary.mapValues { .int(Int64($0)) }),
        ]
        if let diff {
            fields["newSinceBaseline"] = .int(Int64(diff.counts.new))
            fields["fixedSinceBaseline"] = .int(Int64(diff.counts.fixed))
        }
        // ScanSummary has no public memberwise initialiser; its Codable form is the way in, and these
        // fields always decode.
        return (try? JSONValue.object(fields).decode(as: ScanSummary.self))
            ?? (try! JSONValue.object([:]).decode(as: ScanSummary.self))
    }
}
