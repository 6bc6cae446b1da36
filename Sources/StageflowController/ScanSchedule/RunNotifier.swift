import StageflowAPI

/// Tells a schedule's notify targets (`spec.notify`) about a finished run. The ScanSchedule reconciler calls it
/// once per run — for the newest finished run whose job has no `status.notifications` yet — and stores what it
/// returns there, so a later pass does not deliver again.
public protocol RunNotifier: Sendable {
    /// Delivers to every target of `schedule` whose events `run` meets (with `previous`, the run before it, as the
    /// comparison) and returns one record per target told; none when no target's events are met. Throws when what
    /// the decision needs cannot be read (the run's report), so the pass is retried; a failing webhook is a
    /// record, never an error.
    func notify(schedule: ScanSchedule, job: ScanJob, run: ScheduleRun, previous: ScheduleRun?) async throws -> [NotificationRecord]
}
