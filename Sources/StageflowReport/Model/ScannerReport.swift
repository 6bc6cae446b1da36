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
    /// Pages it visited.
    public var pagesScanned: Int

    /// A scanner entry.
    public init(
        id: String, status: ScannerRunStatus, toolVersion: String? = nil, timings: ScannerTimings? = nil,
        error: String? = nil, priority: Int, findings: Int, issues: Int, pagesScanned: Int
    ) {
        self.id = id
        self.status = status
        self.toolVersion = toolVersion
        self.timings = timings
        self.error = error
        self.priority = priority
        self.findings = findings
        self.issues = issues
        self.pagesScanned = pagesScanned
    }
}
