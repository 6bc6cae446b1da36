import Foundation
import Logging
import StageflowAPI

/// The ScanSchedule controller, assembled: informers for ScanSchedules and ScanJobs, the reconciler and its
/// workers. A change of a job enqueues the schedule that controls it, so a finished run updates its schedule's
/// status and history at once.
public struct ScanScheduleController: Sendable {
    /// The controller to run.
    public let controller: Controller
    /// The ScanSchedule informer.
    public let schedules: Informer
    /// The ScanJob informer (its cache is where the reconciler reads a schedule's jobs).
    public let jobs: Informer

    /// Builds the controller; call `run()` to start it. `events` receives the controller's Events.
    public init(
        client: any ResourceClient, events: any ScheduleEventRecorder, workers: Int = 2, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        schedules = Informer(client: client, kind: .scanSchedule, logger: logger)
        jobs = Informer(client: client, kind: .scanJob, logger: logger)
        let reconciler = ScanScheduleReconciler(
            client: client, jobs: CachedScheduledJobs(informer: jobs), events: events, logger: logger, now: now)
        controller = Controller(
            name: "scanschedule", primary: schedules, secondary: [jobs], reconciler: reconciler, workers: workers, logger: logger)
        let queue = controller.queue
        jobs.addHandler { change in
            guard let key = Self.owningSchedule(of: change.object) else { return }
            Task { await queue.add(key) }
        }
    }

    /// Runs until cancelled.
    public func run() async {
        await controller.run()
    }

    /// The key of the schedule controlling `job`, from its controller owner reference.
    static func owningSchedule(of job: JSONValue) -> ObjectName? {
        guard let name = ScheduledJobBuilder.controllingReference(of: job)?["name"]?.stringValue else { return nil }
        return ObjectName(namespace: job[path: ["metadata", "namespace"]]?.stringValue, name: name)
    }
}
