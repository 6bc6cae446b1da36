import Foundation
import Logging
import StageflowAPI

/// The ScanSchedule controller, assembled on one leadership term's informers: the reconciler and its workers over
/// the ScanSchedule informer, with the ScanJob informer's cache as where a schedule's runs are read. A change of a
/// job enqueues the schedule that controls it (its controller owner reference), so a finished run updates its
/// schedule's status and history at once.
public struct ScanScheduleController: Runnable {
    public let name = "scanschedule"
    /// The controller to run.
    public let controller: Controller<ObjectName>
    /// The ScanSchedule informer.
    public let schedules: Informer
    /// The ScanJob informer (its cache is where the reconciler reads a schedule's jobs).
    public let jobs: Informer

    /// Builds the controller on `informers`; call `run()` (once) to start it. `events` receives the controller's
    /// Events; `notifier` tells notify targets about finished runs.
    public init(
        informers: InformerSet, client: any ResourceClient, events: any ScheduleEventRecorder,
        notifier: (any RunNotifier)? = nil, workers: Int = 2, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        schedules = informers.informer(for: .scanSchedule)
        jobs = informers.informer(for: .scanJob)
        let reconciler = ScanScheduleReconciler(
            client: client, jobs: CachedScheduledJobs(informer: jobs), events: events, notifier: notifier, logger: logger, now: now)
        controller = Controller(name: name, reconciler: reconciler, workers: workers, logger: logger)
        controller.watchPrimary(schedules)
        controller.watchOwned(jobs, ownerKind: .scanSchedule)
    }

    /// Runs until cancelled.
    public func run() async throws {
        try await controller.run()
    }
}

/// The schedule controller's Events as core v1 Events on the schedule, through the term's event recorder.
public struct RecordedScheduleEvents: ScheduleEventRecorder {
    let recorder: EventRecorder

    /// Events through `recorder`.
    public init(_ recorder: EventRecorder) { self.recorder = recorder }

    public func record(regarding object: JSONValue, type: ScheduleEventType, reason: String, message: String) async {
        switch type {
        case .normal: recorder.normal(object, kind: .scanSchedule, reason: reason, message: message)
        case .warning: recorder.warning(object, kind: .scanSchedule, reason: reason, message: message)
        }
    }
}
