import Foundation
import StageflowAPI
import StageflowNotify
import StageflowObjectStore
import StageflowReport

/// The `RunNotifier` of a running controller: reads the run's report from the object store (for the issues new
/// since the previous run, which the run's baseline is), and posts each due target its JSON body through
/// `WebhookDelivery` (libcurl, the scan target policy, retries with backoff, an `Idempotency-Key` of the job's
/// uid and the target's name).
public struct WebhookRunNotifier: RunNotifier {
    let objects: any ObjectStore
    let delivery: WebhookDelivery
    let workbenchURL: String?

    /// A notifier reading reports from `objects` and delivering with `delivery`; with `workbenchURL` (where
    /// people reach the workbench), notifications link to the run's report page there.
    public init(objects: any ObjectStore, delivery: WebhookDelivery, workbenchURL: String? = nil) {
        self.objects = objects
        self.delivery = delivery
        self.workbenchURL = workbenchURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    public func notify(schedule: ScanSchedule, job: ScanJob, run: ScheduleRun, previous: ScheduleRun?) async throws
        -> [NotificationRecord]
    {
        let targets = schedule.spec.notify ?? []
        guard !targets.isEmpty, let uid = job.metadata.uid, let name = schedule.metadata.name else { return [] }
        let namespace = job.metadata.namespace ?? Names.defaultNamespace
        let reportURL = workbenchURL.map { "\($0)/scans/\(namespace)/\(run.job)/report" }
        var newIssues: [NotifiedIssue] = []
        if previous != nil, targets.contains(where: { $0.on.contains(.newIssues) }), let report = try await report(of: uid) {
            newIssues = NotifiedIssue.newIssues(in: report, reportURL: reportURL)
        }
        let notice = RunNotice(
            namespace: namespace, schedule: name, jobUID: uid, run: run, previous: previous, newIssues: newIssues,
            reportURL: reportURL)
        var records: [NotificationRecord] = []
        for target in targets {
            let events = notice.events(for: target)
            guard !events.isEmpty else { continue }
            let body = NotificationPayload.body(notice, events: events, target: target)
            let outcome = await delivery.deliver(
                body, to: target, idempotencyKey: WebhookDelivery.idempotencyKey(jobUID: uid, target: target.name))
            records.append(
                NotificationRecord(
                    target: target.name, events: events.map(\.rawValue), result: outcome.result.rawValue,
                    attempts: Int64(outcome.attempts), httpStatus: outcome.httpStatus.map(Int64.init), message: outcome.message,
                    time: Timestamp.now()))
        }
        return records
    }

    /// The run's report; `nil` when it has none (a failed run).
    private func report(of uid: String) async throws -> Report? {
        do {
            return try Report.decode(from: try await objects.get(try ObjectKeys.reportJSON(jobUID: uid)))
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return nil
        }
    }
}
