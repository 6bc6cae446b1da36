/// A recurring scan: a ScanJob template created on a cron schedule.
public struct ScanSchedule: Codable, Sendable, Hashable {
    /// `stageflow.dev/v1alpha1`.
    public var apiVersion: String = ResourceKind.scanSchedule.apiVersion
    /// `ScanSchedule`.
    public var kind: String = ResourceKind.scanSchedule.kind
    /// Name, namespace, revision and so on.
    public var metadata: ObjectMeta
    /// The desired schedule.
    public var spec: ScanScheduleSpec
    /// What the controller observed.
    public var status: ScanScheduleStatus?

    /// A ScanSchedule.
    public init(metadata: ObjectMeta, spec: ScanScheduleSpec, status: ScanScheduleStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The desired state of a schedule.
public struct ScanScheduleSpec: Codable, Sendable, Hashable {
    /// Five-field cron expression.
    public var schedule: String
    /// IANA time zone of the schedule (UTC when absent).
    public var timeZone: String?
    /// The ScanJob created for each run.
    public var jobTemplate: ScanJobTemplate
    /// `Allow`, `Forbid` or `Replace` overlapping runs.
    public var concurrencyPolicy: String?
    /// Stops new runs.
    public var suspend: Bool?
    /// How late a missed run may still start.
    public var startingDeadlineSeconds: Int64?
    /// Finished successful jobs kept (default 3).
    public var successfulJobsHistoryLimit: Int64?
    /// Finished failed jobs kept (default 1).
    public var failedJobsHistoryLimit: Int64?
    /// Webhooks told when a run got worse.
    public var notify: [ScheduleNotifyTarget]?

    /// A schedule spec.
    public init(schedule: String, jobTemplate: ScanJobTemplate) {
        self.schedule = schedule
        self.jobTemplate = jobTemplate
    }
}

/// Template of the ScanJobs a schedule creates.
public struct ScanJobTemplate: Codable, Sendable, Hashable {
    /// Labels and annotations copied to each job.
    public var metadata: ObjectMeta?
    /// The job spec.
    public var spec: ScanJobSpec

    /// A job template.
    public init(metadata: ObjectMeta? = nil, spec: ScanJobSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// What the controller observed of a schedule.
public struct ScanScheduleStatus: Codable, Sendable, Hashable {
    /// When a job was last created (RFC 3339).
    public var lastScheduleTime: String?
    /// When a job last finished Done (RFC 3339).
    public var lastSuccessfulTime: String?
    /// Jobs still running.
    public var active: [ObjectReference]?
    /// Number of jobs in `active` (a printer column).
    public var activeCount: Int64?
    /// The last 30 finished runs, newest first.
    public var history: [ScheduleRun]?
    /// Conditions of the schedule.
    public var conditions: [Condition]?
    /// The generation this status describes.
    public var observedGeneration: Int64?

    /// An empty status.
    public init() {}
}

/// A reference to an object by kind, namespace, name and uid.
public struct ObjectReference: Codable, Sendable, Hashable {
    /// API version of the object.
    public var apiVersion: String?
    /// Kind of the object.
    public var kind: String?
    /// Namespace.
    public var namespace: String?
    /// Name.
    public var name: String
    /// Uid.
    public var uid: String?

    /// A reference.
    public init(apiVersion: String? = nil, kind: String? = nil, namespace: String? = nil, name: String, uid: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }
}
