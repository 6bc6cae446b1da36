import StageflowAPI

/// `status.history` of a schedule: its last finished runs, newest first, each with the headline numbers of its
/// report, kept when old jobs are deleted.
enum ScheduleHistory {
    /// Runs kept.
    static let limit = 30

    /// The history entry of a finished job, or `nil` while it runs. The one place that reads a job's report
    /// summary into a schedule's history.
    static func run(of job: ScanJob, scheduledTime: String?) -> ScheduleRun? {
        guard let phase = job.status?.phase, phase.isFinished, let name = job.metadata.name else { return nil }
        var run = ScheduleRun(job: name, phase: phase)
        run.scheduledTime = scheduledTime
        run.completionTime = job.status?.completionTime
        let summary = job.status?.summary
        run.score = summary?.score
        run.grade = summary?.grade
        run.totalIssues = summary?.totalIssues
        run.bySeverity = summary?.bySeverity
        run.newSinceBaseline = summary?.newSinceBaseline
        run.fixedSinceBaseline = summary?.fixedSinceBaseline
        return run
    }

    /// `history` with `run` recorded (replacing an entry of the same job), its score change computed from the
    /// next older run with a score, sorted newest first and cut to the limit.
    static func recording(_ run: ScheduleRun, in history: [ScheduleRun]) -> [ScheduleRun] {
        var entries = history.filter { $0.job != run.job }
        var recorded = run
        let older = entries.filter { isOlder($0, than: run) && $0.score != nil }.max { isOlder($0, than: $1) }
        if let score = run.score, let previous = older?.score {
            recorded.scoreDelta = ((score - previous) * 100).rounded() / 100
        }
        entries.append(recorded)
        entries.sort { isOlder($1, than: $0) }
        return Array(entries.prefix(limit))
    }

    /// Orders runs by scheduled time, then completion time, then name.
    static func isOlder(_ a: ScheduleRun, than b: ScheduleRun) -> Bool {
        let left = (a.scheduledTime ?? "", a.completionTime ?? "", a.job)
        let right = (b.scheduledTime ?? "", b.completionTime ?? "", b.job)
        return left < right
    }
}
