/// One finished run of a schedule in its `status.history`: the job, when it was due and finished, and the
/// headline numbers of its report. Kept when the job itself is deleted.
public struct ScheduleRun: Codable, Sendable, Hashable {
    /// Name of the ScanJob.
    public var job: String
    /// The start time the run was created for (RFC 3339).
    public var scheduledTime: String?
    /// When the run finished (RFC 3339).
    public var completionTime: String?
    /// `Done` or `Failed`.
    public var phase: ScanJobPhase
    /// Score of the report, 0…100.
    public var score: Double?
    /// Change of the score since the previous run with a score.
    public var scoreDelta: Double?
    /// Letter grade.
    public var grade: String?
    /// Deduplicated findings.
    public var totalIssues: Int64?
    /// Findings per severity.
    public var bySeverity: [String: Int64]?
    /// Findings absent from the previous run.
    public var newSinceBaseline: Int64?
    /// Findings of the previous run no longer present.
    public var fixedSinceBaseline: Int64?

    /// A run of `job` that ended in `phase`.
    public init(job: String, phase: ScanJobPhase) {
        self.job = job
        self.phase = phase
    }
}
