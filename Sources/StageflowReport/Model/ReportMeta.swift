/// Which job a report belongs to, which site it covers and when it ran.
public struct ReportMeta: Codable, Sendable, Hashable {
    /// The ScanJob's uid.
    public var jobId: String
    /// The ScanJob's name, for display.
    public var jobName: String?
    /// The site scanned: the first target URL, or the archive name for uploaded builds.
    public var baseUrl: String
    /// When scanning started, RFC 3339.
    public var scannedAt: String
    /// When the report was aggregated, RFC 3339.
    public var completedAt: String
    /// Milliseconds from the start of scanning to the report.
    public var durationMs: Int64

    /// Report metadata.
    public init(
        jobId: String, jobName: String? = nil, baseUrl: String, scannedAt: String, completedAt: String,
        durationMs: Int64
    ) {
        self.jobId = jobId
        self.jobName = jobName
        self.baseUrl = baseUrl
        self.scannedAt = scannedAt
        self.completedAt = completedAt
        self.durationMs = durationMs
    }
}
