import StageflowAPI

/// What a finished run of a schedule tells its notify targets: the run and the one before it, and the issues
/// new since then. Decides, per target, which of its events the run meets.
public struct RunNotice: Sendable, Hashable {
    /// Namespace of the schedule.
    public var namespace: String
    /// Name of the schedule.
    public var schedule: String
    /// Uid of the run's job: with the target's name, the Idempotency-Key of a delivery.
    public var jobUID: String
    /// The run, as the schedule's history records it.
    public var run: ScheduleRun
    /// The run before it, if any.
    public var previous: ScheduleRun?
    /// Issues absent from the previous run, most severe first.
    public var newIssues: [NotifiedIssue]
    /// The run's report in the workbench, when its address is known.
    public var reportURL: String?

    /// A notice of `run`.
    public init(
        namespace: String, schedule: String, jobUID: String, run: ScheduleRun, previous: ScheduleRun?,
        newIssues: [NotifiedIssue], reportURL: String? = nil
    ) {
        self.namespace = namespace
        self.schedule = schedule
        self.jobUID = jobUID
        self.run = run
        self.previous = previous
        self.newIssues = newIssues
        self.reportURL = reportURL
    }

    /// The least severity of a new issue that makes a `NewIssues` delivery when the target names none.
    public static let defaultMinSeverity = Severity.serious
    /// The least fall of the score that makes a `ScoreDrop` delivery when the target names none.
    public static let defaultMinScoreDrop = 5.0

    /// The events of `target` this run meets, in the target's order. A first run has no previous run, so it
    /// meets neither `NewIssues`, `ScoreDrop` nor `Recovered`.
    public func events(for target: ScheduleNotifyTarget) -> [ScheduleNotifyEvent] {
        target.on.filter { event in
            switch event {
            case .newIssues:
                let least = target.minSeverity ?? Self.defaultMinSeverity
                return previous != nil && !newIssues(atLeast: least).isEmpty
            case .scoreDrop:
                guard let drop = scoreDrop else { return false }
                return drop > 0 && drop >= (target.minScoreDrop ?? Self.defaultMinScoreDrop)
            case .failed:
                return run.phase == .failed
            case .recovered:
                return run.phase == .done && previous?.phase == .failed
            }
        }
    }

    /// How many points the score fell since the previous run with a score (negative when it rose).
    public var scoreDrop: Double? {
        guard let score = run.score, let before = previous?.score else { return nil }
        return before - score
    }

    /// The new issues at least as severe as `severity`.
    public func newIssues(atLeast severity: Severity) -> [NotifiedIssue] {
        newIssues.filter { $0.severity >= severity }
    }
}
