import Foundation

/// Makes the ScanJob of one run from a schedule's `jobTemplate`: named for its start time, labelled with the
/// schedule, annotated with the start time, controlled by the schedule (so deleting the schedule deletes it),
/// and with the schedule's most recent Done run as its baseline unless the template names one. The ScanSchedule
/// controller makes its runs with it, and `stageflowctl create job --from=scanschedule/NAME` a run started by hand.
public struct ScheduledJobBuilder: Sendable {
    /// The label naming the schedule on each of its jobs.
    public static let scheduleLabel = "stageflow.dev/schedule"
    /// The annotation holding a job's start time (RFC 3339).
    public static let scheduledTimeAnnotation = "stageflow.dev/scheduled-time"

    /// The schedule as stored.
    let schedule: JSONValue
    let name: String
    let namespace: String?
    let uid: String

    /// A builder for the runs of `schedule` (as stored: name, namespace and uid are read from it).
    public init(schedule: JSONValue) {
        self.init(
            schedule: schedule, name: schedule[path: ["metadata", "name"]]?.stringValue ?? "",
            namespace: schedule[path: ["metadata", "namespace"]]?.stringValue, uid: schedule[path: ["metadata", "uid"]]?.stringValue ?? "")
    }

    /// A builder for the runs of `schedule`, named `name` in `namespace` with uid `uid`.
    public init(schedule: JSONValue, name: String, namespace: String?, uid: String) {
        self.schedule = schedule
        self.name = name
        self.namespace = namespace
        self.uid = uid
    }

    /// The job for the start at `scheduled` (RFC 3339), named `jobName`, diffed against `baseline` when given.
    public func job(named jobName: String, scheduled: String, baseline: String?) -> JSONValue {
        let template = schedule[path: ["spec", "jobTemplate"]] ?? [:]
        var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels[Self.scheduleLabel] = .string(name)
        var annotations = template[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        annotations[Self.scheduledTimeAnnotation] = .string(scheduled)
        var metadata: [String: JSONValue] = [
            "name": .string(jobName), "labels": .object(labels), "annotations": .object(annotations),
            "ownerReferences": [
                [
                    "apiVersion": .string(ResourceKind.scanSchedule.apiVersion), "kind": .string(ResourceKind.scanSchedule.kind),
                    "name": .string(name), "uid": .string(uid), "controller": true, "blockOwnerDeletion": true,
                ]
            ],
        ]
        if let namespace { metadata["namespace"] = .string(namespace) }
        var spec = template["spec"] ?? [:]
        if spec["baselineRef"] == nil, let baseline {
            spec["baselineRef"] = ["name": .string(baseline)]
        }
        return [
            "apiVersion": .string(ResourceKind.scanJob.apiVersion), "kind": .string(ResourceKind.scanJob.kind),
            "metadata": .object(metadata), "spec": spec,
        ]
    }

    /// Whether `job` is controlled by the schedule with uid `scheduleUID` (its controller owner reference).
    public static func isControlled(_ job: JSONValue, by scheduleUID: String) -> Bool {
        controllingScheduleUID(of: job) == scheduleUID
    }

    /// The uid of the ScanSchedule that controls `job`, if one does.
    public static func controllingScheduleUID(of job: JSONValue) -> String? {
        controllingReference(of: job)?["uid"]?.stringValue
    }

    /// The controller owner reference of `job` when it names a ScanSchedule.
    public static func controllingReference(of job: JSONValue) -> JSONValue? {
        (job[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first { reference in
            reference["controller"]?.boolValue == true && reference["kind"]?.stringValue == ResourceKind.scanSchedule.kind
                && reference["apiVersion"]?.stringValue == ResourceKind.scanSchedule.apiVersion
        }
    }
}

extension ScheduledJobBuilder {
    /// A run started by hand at `now` (`stageflowctl create job --from=scanschedule/…`, the workbench's "Run now"):
    /// named `jobName`, or `<schedule>-manual-<unix seconds>` without one, and diffed against the most recent Done
    /// run among `runs` (the schedule's jobs), as the schedule's own runs are.
    public func manualRun(named jobName: String?, at now: Date, runs: [JSONValue]) -> JSONValue {
        job(
            named: jobName ?? "\(name)-manual-\(Int64(now.timeIntervalSince1970))", scheduled: Timestamp.string(now),
            baseline: Self.latestDone(runs, scheduleUID: uid))
    }

    /// The name of the most recent Done run among `jobs` controlled by the schedule with uid `scheduleUID` (by
    /// start time, then name): the baseline of the next run.
    public static func latestDone(_ jobs: [JSONValue], scheduleUID: String) -> String? {
        jobs.filter { job in
            isControlled(job, by: scheduleUID) && job[path: ["status", "phase"]]?.stringValue == ScanJobPhase.done.rawValue
                && job[path: ["metadata", "deletionTimestamp"]] == nil
        }
        .map { job in
            (job[path: ["metadata", "annotations", scheduledTimeAnnotation]]?.stringValue ?? "", job[path: ["metadata", "name"]]?.stringValue ?? "")
        }
        .max { $0 < $1 }?.1
    }
}
