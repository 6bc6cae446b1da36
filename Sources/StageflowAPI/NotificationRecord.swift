/// How one notify target of a schedule was told about a finished run: an entry of the run's ScanJob
/// `status.notifications`, written by the ScanSchedule controller once per target, so a pass repeated later
/// (or after a restart) does not deliver again.
public struct NotificationRecord: Codable, Sendable, Hashable {
    /// The target's name (`spec.notify[].name` of the schedule).
    public var target: String
    /// The events of the target the run met (`NewIssues`, `ScoreDrop`, `Failed`, `Recovered`).
    public var events: [String]
    /// `Delivered`, `Failed` (every attempt failed) or `Refused` (the target policy, a missing secret, a 4xx).
    public var result: String
    /// Requests made.
    public var attempts: Int64
    /// The status code of the last answer, if any.
    public var httpStatus: Int64?
    /// What happened, in a sentence.
    public var message: String?
    /// When the delivery ended (RFC 3339).
    public var time: String

    /// A record.
    public init(
        target: String, events: [String], result: String, attempts: Int64, httpStatus: Int64? = nil, message: String? = nil,
        time: String
    ) {
        self.target = target
        self.events = events
        self.result = result
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.message = message
        self.time = time
    }
}
