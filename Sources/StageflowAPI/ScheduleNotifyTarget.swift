/// A webhook of a schedule and the events that call it (`spec.notify[]`).
public struct ScheduleNotifyTarget: Codable, Sendable, Hashable {
    /// Names the target in events, statuses and the Idempotency-Key of its deliveries.
    public var name: String
    /// The webhook URL; or give `urlSecretRef`.
    public var url: String?
    /// A file in the controller's secrets directory holding the URL.
    public var urlSecretRef: LocalObjectReference?
    /// When to deliver.
    public var on: [ScheduleNotifyEvent]
    /// The least severity of a new issue that makes a `NewIssues` delivery (default `serious`).
    public var minSeverity: Severity?
    /// The least fall of the score, in points, that makes a `ScoreDrop` delivery (default 5).
    public var minScoreDrop: Double?

    /// A target at `url` for `events`.
    public init(name: String, url: String? = nil, on events: [ScheduleNotifyEvent]) {
        self.name = name
        self.url = url
        self.on = events
    }
}

/// What about a run is worth a notification.
public enum ScheduleNotifyEvent: String, Codable, Sendable, Hashable, CaseIterable {
    /// Issues absent from the previous run, at least the target's `minSeverity`.
    case newIssues = "NewIssues"
    /// The score fell by at least the target's `minScoreDrop`.
    case scoreDrop = "ScoreDrop"
    /// The run failed.
    case failed = "Failed"
    /// The run is Done and the previous one failed.
    case recovered = "Recovered"
}
