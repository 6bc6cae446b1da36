import StageflowAPI

/// Makes the ScanJob of one run from a schedule's `jobTemplate`: named for its start time, labelled with the
/// schedule, annotated with the start time, controlled by the schedule (so deleting the schedule deletes it),
/// and with the schedule's most recent Done run as its baseline unless the template names one.
struct ScheduledJobBuilder {
    /// The schedule as stored.
    let schedule: JSONValue
    let name: String
    let namespace: String?
    let uid: String

    /// The job for the start at `scheduled` (RFC 3339), named `jobName`, diffed against `baseline` when given.
    func job(named jobName: String, scheduled: String, baseline: String?) -> JSONValue {
        let template = schedule[path: ["spec", "jobTemplate"]] ?? [:]
        var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels[ScanScheduleReconciler.scheduleLabel] = .string(name)
        var annotations = template[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        annotations[ScanScheduleReconciler.scheduledTimeAnnotation] = .string(scheduled)
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
    static func isControlled(_ job: JSONValue, by scheduleUID: String) -> Bool {
        controllingScheduleUID(of: job) == scheduleUID
    }

    /// The uid of the ScanSchedule that controls `job`, if one does.
    static func controllingScheduleUID(of job: JSONValue) -> String? {
        controllingReference(of: job)?["uid"]?.stringValue
    }

    /// The controller owner reference of `job` when it names a ScanSchedule.
    static func controllingReference(of job: JSONValue) -> JSONValue? {
        (job[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first { reference in
            reference["controller"]?.boolValue == true && reference["kind"]?.stringValue == ResourceKind.scanSchedule.kind
                && reference["apiVersion"]?.stringValue == ResourceKind.scanSchedule.apiVersion
        }
    }
}
