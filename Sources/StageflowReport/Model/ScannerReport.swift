/// One scanner of the job as the report shows it: how it ended and what it contributed.
public struct ScannerReport: Codable, Sendable, Hashable {
    /// The scanner id.
    public var id: String
    /// How the run ended.
    public var status: ScannerRunStatus
    /// Name and version of the underlying tool.
    public var toolVersion: String?
    /// When it ran.
    public var timings: ScannerTimings?
    /// Why it failed, was partial or was skipped.
    public var error: String?
    /// Its weight in deduplication: of equivalent findings, the scanner with the higher priority is kept.
    public var priority: Int
    /// Findings it reported, before grouping and deduplication.
    public var findings: Int
    /// Issues attributed to it after deduplication.
    public var issues: Int
    /// Items needing review attributed to it.
    public var needsReview: Int
    /// Pages it visited.
    public var pagesScanned: Int
    /// The category of its rules (a plugin's rules may name others).
    public var category: ReportCategory

    /// A scanner entry.
    public init(
        id: String, status: ScannerRunStatus, toolVersion: String? = nil, timings: ScannerTimings? = nil,
        error: String? = nil, priority: Int, findings: Int, issues: Int, needsReview: Int = 0, pagesScanned: Int,
        category: ReportCategory? = nil
    ) {
        self.id = id
        self.status = status
        self.toolVersion = toolVersion
        self.timings = timings
        self.error = error
        self.priority = priority
        self.findings = findings
        self.issues = issues
        self.needsReview = needsReview
        self.pagesScanned = pagesScanned
        self.category = category ?? ReportCategory.defaultCategory(ofScanner: id)
    }

    /// Reads contract 3 entries, and contract 2 ones (no category or review count).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        status = try container.decode(ScannerRunStatus.self, forKey: .status)
        toolVersion = try container.decodeIfPresent(String.self, forKey: .toolVersion)
        timings = try container.decodeIfPresent(ScannerTimings.self, forKey: .timings)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 50
        findings = try container.decodeIfPresent(Int.self, forKey: .findings) ?? 0
        issues = try container.decodeIfPresent(Int.self, forKey: .issues) ?? 0
        needsReview = try container.decodeIfPresent(Int.self, forKey: .needsReview) ?? 0
        pagesScanned = try container.decodeIfPresent(Int.self, forKey: .pagesScanned) ?? 0
        category = try container.decodeIfPresent(ReportCategory.self, forKey: .category) ?? ReportCategory.defaultCategory(ofScanner: id)
    }
}
