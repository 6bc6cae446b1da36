/// A declared scan: what to audit (URLs or an uploaded build) with which scanners, and what was observed.
public struct ScanJob: Codable, Sendable, Hashable {
    /// `stageflow.dev/v1alpha1`.
    public var apiVersion: String = ResourceKind.scanJob.apiVersion
    /// `ScanJob`.
    public var kind: String = ResourceKind.scanJob.kind
    /// Name, namespace, revision and so on.
    public var metadata: ObjectMeta
    /// The desired scan.
    public var spec: ScanJobSpec
    /// What the controller observed.
    public var status: ScanJobStatus?

    /// A ScanJob.
    public init(metadata: ObjectMeta, spec: ScanJobSpec, status: ScanJobStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The desired state of a scan.
public struct ScanJobSpec: Codable, Sendable, Hashable {
    /// What to scan.
    public var target: ScanTarget
    /// Which scanners to run, each with its own configuration.
    public var scanners: [ScannerSelection]
    /// An earlier ScanJob whose report is the baseline of the diff.
    public var baselineRef: LocalObjectReference?
    /// The lowest severity that fails the CI gate (`critical`, `serious`, `moderate`, `minor`, `info`).
    public var failOn: Severity?
    /// Phase deadlines.
    public var deadlines: ScanDeadlines?
    /// Seconds after Done or Failed when the job and its artifacts are deleted.
    public var ttlSecondsAfterFinished: Int64?
    /// Ask to scan private addresses; honoured only where the server's policy permits it.
    public var allowPrivateTargets: Bool?
    /// Holds a job that has not started yet.
    public var suspend: Bool?

    /// A ScanJob spec.
    public init(target: ScanTarget, scanners: [ScannerSelection]) {
        self.target = target
        self.scanners = scanners
    }
}

/// The site to scan: a list of URLs (optionally crawled) or an uploaded archive of a static build.
public struct ScanTarget: Codable, Sendable, Hashable {
    /// Up to 100 absolute http(s) URLs.
    public var urls: [String]?
    /// Crawl from the URLs.
    public var crawl: CrawlOptions?
    /// An uploaded ZIP of a static build.
    public var archive: ArchiveSource?

    /// A target of URLs.
    public init(urls: [String]? = nil, crawl: CrawlOptions? = nil, archive: ArchiveSource? = nil) {
        self.urls = urls
        self.crawl = crawl
        self.archive = archive
    }
}

/// How to discover more pages from the seed URLs.
public struct CrawlOptions: Codable, Sendable, Hashable {
    /// Upper bound on pages scanned.
    public var maxPages: Int64?
    /// Follow links on the seed URLs' origins only.
    public var sameOrigin: Bool?
    /// Read `/sitemap.xml` for more pages.
    public var sitemap: Bool?

    /// Crawl options.
    public init(maxPages: Int64? = nil, sameOrigin: Bool? = nil, sitemap: Bool? = nil) {
        self.maxPages = maxPages
        self.sameOrigin = sameOrigin
        self.sitemap = sitemap
    }
}

/// An archive in the object store's staging area.
public struct ArchiveSource: Codable, Sendable, Hashable {
    /// Object key, `staging/<job-uid>/<file>.zip`.
    public var objectKey: String
    /// File name as uploaded.
    public var fileName: String?
    /// Size in bytes.
    public var sizeBytes: Int64?
    /// Hex SHA-256 of the upload.
    public var sha256: String?

    /// An archive source.
    public init(objectKey: String, fileName: String? = nil, sizeBytes: Int64? = nil, sha256: String? = nil) {
        self.objectKey = objectKey
        self.fileName = fileName
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
    }
}

/// One scanner to run, by id, with its configuration.
public struct ScannerSelection: Codable, Sendable, Hashable {
    /// Scanner id (`axe`, `seo`, …).
    public var name: String
    /// Configuration validated against the scanner's `configSchema`.
    public var config: JSONValue?
    /// Resource limits of this scanner's container.
    public var resources: ScannerResources?

    /// A scanner selection.
    public init(name: String, config: JSONValue? = nil) {
        self.name = name
        self.config = config
    }
}

/// Per-scanner limits.
public struct ScannerResources: Codable, Sendable, Hashable {
    /// Memory limit in MiB; swap is disabled.
    public var memoryMiB: Int64?
    /// CPU limit in thousandths of a core.
    public var cpuMillicores: Int64?
}

/// Phase deadlines in seconds.
public struct ScanDeadlines: Codable, Sendable, Hashable {
    /// Extracting an uploaded archive (default 300).
    public var extractionSeconds: Int64?
    /// Running the scanners (default 1800).
    public var scanningSeconds: Int64?

    /// Deadlines; `nil` fields take the defaults.
    public init(extractionSeconds: Int64? = nil, scanningSeconds: Int64? = nil) {
        self.extractionSeconds = extractionSeconds
        self.scanningSeconds = scanningSeconds
    }
}

/// A reference to an object of the same kind in the same namespace.
public struct LocalObjectReference: Codable, Sendable, Hashable {
    /// Object name.
    public var name: String

    /// A reference by name.
    public init(name: String) { self.name = name }
}

/// Normalised finding severity, from most to least severe.
public enum Severity: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case critical, serious, moderate, minor, info

    /// Higher is more severe.
    public var rank: Int {
        switch self {
        case .critical: return 4
        case .serious: return 3
        case .moderate: return 2
        case .minor: return 1
        case .info: return 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The phases of a ScanJob; the allowed transitions are in `allowedSuccessors`.
public enum ScanJobPhase: String, Codable, Sendable, Hashable, CaseIterable {
    case pending = "Pending"
    case extracting = "Extracting"
    case readyToScan = "ReadyToScan"
    case scanning = "Scanning"
    case completing = "Completing"
    case done = "Done"
    case failed = "Failed"

    /// The phases this one may move to.
    public var allowedSuccessors: Set<ScanJobPhase> {
        switch self {
        case .pending: return [.extracting, .readyToScan, .failed]
        case .extracting: return [.readyToScan, .failed]
        case .readyToScan: return [.scanning, .failed]
        case .scanning: return [.completing, .failed]
        case .completing: return [.done, .failed]
        case .done, .failed: return []
        }
    }

    /// `Done` or `Failed`.
    public var isFinished: Bool { self == .done || self == .failed }
}

/// What the controller observed of a scan.
public struct ScanJobStatus: Codable, Sendable, Hashable {
    /// The current phase.
    public var phase: ScanJobPhase?
    /// `Accepted`, `Extracted`, `Scanning`, `Complete`, `Failed`.
    public var conditions: [Condition]?
    /// The generation this status describes.
    public var observedGeneration: Int64?
    /// When scanning started (RFC 3339).
    public var startTime: String?
    /// When the job finished (RFC 3339).
    public var completionTime: String?
    /// When the job entered each phase (RFC 3339 with microseconds), oldest first.
    public var phaseTransitions: [PhaseTransition]?
    /// One entry per selected scanner.
    public var scanners: [ScanJobScannerStatus]?
    /// Page counts.
    public var pages: PageCounts?
    /// Score, grade and counts of the report.
    public var summary: ScanSummary?
    /// Where the report is stored.
    public var reportRef: ReportReference?
    /// For a run of a schedule with notify targets: how each target was told about it (empty when none was due).
    public var notifications: [NotificationRecord]?

    /// An empty status.
    public init() {}
}

/// The moment a job entered a phase.
public struct PhaseTransition: Codable, Sendable, Hashable {
    /// The phase entered.
    public var phase: ScanJobPhase
    /// When (RFC 3339 with microseconds).
    public var time: String

    /// A transition into `phase` at `time`.
    public init(phase: ScanJobPhase, time: String) {
        self.phase = phase
        self.time = time
    }
}

/// The state of one scanner in one job.
public struct ScanJobScannerStatus: Codable, Sendable, Hashable {
    /// Scanner id.
    public var name: String
    /// `Pending`, `Running`, `Succeeded`, `Failed`, `Skipped`.
    public var state: String
    /// Exit code of the scanner process.
    public var exitCode: Int64?
    /// Error or progress message (the last 500 bytes of logs on failure).
    public var message: String?
    /// Findings reported.
    public var findings: Int64?
    /// RFC 3339 start time.
    public var startedAt: String?
    /// RFC 3339 finish time.
    public var finishedAt: String?
    /// Times the scanner was started again after its infrastructure failed it (its container killed from outside,
    /// the object store unreachable past its retries); `nil` when it never was. Bounded by the controller's
    /// `--scanner-restarts`.
    public var restarts: Int64?

    /// A scanner status.
    public init(name: String, state: String) {
        self.name = name
        self.state = state
    }
}

/// Pages in a scan.
public struct PageCounts: Codable, Sendable, Hashable {
    /// Pages planned.
    public var total: Int64?
    /// Pages scanned.
    public var scanned: Int64?
    /// Pages that failed to load.
    public var failed: Int64?

    /// Page counts.
    public init(total: Int64? = nil, scanned: Int64? = nil, failed: Int64? = nil) {
        self.total = total
        self.scanned = scanned
        self.failed = failed
    }
}

/// The headline numbers of a report.
public struct ScanSummary: Codable, Sendable, Hashable {
    /// 0…100; absent when no category could be scored.
    public var score: Double?
    /// A letter grade.
    public var grade: String?
    /// Whether the score leaves out a category whose scanners failed, or stands on partial results.
    public var partial: Bool?
    /// Why the score is partial or missing.
    public var scoreNote: String?
    /// Per category id, its score or why it has none.
    public var categories: [String: ScanCategorySummary]?
    /// Issues: one per rule per page, after deduplication.
    public var totalIssues: Int64?
    /// Elements of those issues.
    public var occurrences: Int64?
    /// Items that need review; not in the score.
    public var needsReview: Int64?
    /// Issues per severity.
    public var bySeverity: [String: Int64]?
    /// Issues with an element absent from the baseline.
    public var newSinceBaseline: Int64?
    /// Baseline elements no longer present.
    public var fixedSinceBaseline: Int64?

    /// A summary.
    public init(
        score: Double? = nil, grade: String? = nil, partial: Bool? = nil, scoreNote: String? = nil,
        categories: [String: ScanCategorySummary]? = nil, totalIssues: Int64? = nil, occurrences: Int64? = nil,
        needsReview: Int64? = nil, bySeverity: [String: Int64]? = nil, newSinceBaseline: Int64? = nil,
        fixedSinceBaseline: Int64? = nil
    ) {
        self.score = score
        self.grade = grade
        self.partial = partial
        self.scoreNote = scoreNote
        self.categories = categories
        self.totalIssues = totalIssues
        self.occurrences = occurrences
        self.needsReview = needsReview
        self.bySeverity = bySeverity
        self.newSinceBaseline = newSinceBaseline
        self.fixedSinceBaseline = fixedSinceBaseline
    }
}

/// One category's score in a ScanJob's summary, or why it has none.
public struct ScanCategorySummary: Codable, Sendable, Hashable {
    /// 0…100; absent when the category has no score.
    public var score: Double?
    /// A letter grade.
    public var grade: String?
    /// `scored`, `partial`, `failed` or `no-evidence`.
    public var status: String?
    /// Why the category has no score, or a partial one.
    public var reason: String?

    /// A category summary.
    public init(score: Double? = nil, grade: String? = nil, status: String? = nil, reason: String? = nil) {
        self.score = score
        self.grade = grade
        self.status = status
        self.reason = reason
    }
}

/// Object-store keys of a job's report.
public struct ReportReference: Codable, Sendable, Hashable {
    /// Key of `report.json`.
    public var jsonKey: String?
    /// Key of `report.html`.
    public var htmlKey: String?

    /// Report keys.
    public init(jsonKey: String? = nil, htmlKey: String? = nil) {
        self.jsonKey = jsonKey
        self.htmlKey = htmlKey
    }
}
