import Foundation
import Logging
import StageflowAPI
import StageflowCron

/// Runs a ScanSchedule as Kubernetes' CronJob controller runs a CronJob. Each pass re-reads the schedule and its
/// jobs, brings `status.active` and `status.history` up to date, finds the most recent start time missed since
/// `status.lastScheduleTime` (or the creation time), creates that one run if the policies allow, deletes finished
/// runs beyond the history limits, and asks to be called again at the next start time. A run's name is the
/// schedule's name and its start time in Unix minutes, so a pass repeated after a crash finds the job it created
/// and never creates a second one for a start.
public struct ScanScheduleReconciler: Reconciler {
    /// The label naming the schedule on each of its jobs.
    public static let scheduleLabel = ScheduledJobBuilder.scheduleLabel
    /// The annotation holding a job's start time (RFC 3339).
    public static let scheduledTimeAnnotation = ScheduledJobBuilder.scheduledTimeAnnotation
    /// More missed starts than this is a `TooManyMissedTimes` warning (still only the latest runs).
    public static let missedStartsLimit = 100
    /// Added to the wait for the next start, so the pass wakes after it rather than just before.
    static let wakeMargin: Duration = .milliseconds(100)

    let client: any ResourceClient
    let jobs: any ScheduledJobSource
    let events: any ScheduleEventRecorder
    let notifier: (any RunNotifier)?
    let logger: Logger
    let now: @Sendable () -> Date

    /// A reconciler reading schedules through `client` and their jobs from `jobs`, recording events with `events`
    /// and telling notify targets about finished runs through `notifier` (none without one).
    public init(
        client: any ResourceClient, jobs: any ScheduledJobSource, events: any ScheduleEventRecorder,
        notifier: (any RunNotifier)? = nil, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.jobs = jobs
        self.events = events
        self.notifier = notifier
        self.logger = logger
        self.now = now
    }

    /// The name of the run of `schedule` for the start at `scheduled`: `<schedule>-<Unix minutes>`.
    public static func jobName(schedule: String, scheduled: Date) -> String {
        "\(schedule)-\(Int64(scheduled.timeIntervalSince1970.rounded(.down)) / 60)"
    }

    public func reconcile(_ name: ObjectName) async throws -> ReconcileResult {
        let object: JSONValue
        do {
            object = try await client.get(.scanSchedule, namespace: name.namespace, name: name.name)
        } catch let status as APIStatus where status.code == 404 {
            return .done
        }
        let schedule: ScanSchedule
        do {
            schedule = try object.decode(as: ScanSchedule.self)
        } catch {
            throw TerminalError("\(name): stored ScanSchedule does not decode: \(error)")
        }
        guard let uid = schedule.metadata.uid else { throw TerminalError("\(name): ScanSchedule has no uid") }
        if schedule.metadata.deletionTimestamp != nil { return .done }
        var pass = SchedulePass(object: object, schedule: schedule, uid: uid, now: now())
        let owned = try await jobs.jobs(namespace: name.namespace, scheduleUID: uid).compactMap { try? $0.decode(as: ScanJob.self) }
        try await observe(owned, in: &pass)
        let result = try await startDueRun(&pass, jobs: owned)
        try await writeStatus(pass)
        try await notifyNewestRun(owned, pass: pass)
        try await deleteBeyondLimits(owned, pass: pass)
        return result
    }

    // MARK: Observing the jobs

    /// Brings `active`, `history` and `lastSuccessfulTime` up to date with the jobs.
    private func observe(_ owned: [ScanJob], in pass: inout SchedulePass) async throws {
        for job in owned {
            guard let jobName = job.metadata.name else { continue }
            if let run = ScheduleHistory.run(of: job, scheduledTime: Self.scheduledTime(of: job)) {
                pass.status.active = pass.status.active?.filter { $0.name != jobName }
                let stored = pass.status.history?.first { $0.job == jobName }
                if stored?.withoutDelta != run {
                    pass.status.history = ScheduleHistory.recording(run, in: pass.status.history ?? [])
                    if run.phase == .done {
                        let finished = run.completionTime ?? Timestamp.string(pass.now)
                        pass.status.lastSuccessfulTime = max(pass.status.lastSuccessfulTime ?? "", finished)
                    }
                }
            } else if job.metadata.deletionTimestamp == nil, !(pass.status.active ?? []).contains(where: { $0.name == jobName }) {
                pass.status.active = (pass.status.active ?? []) + [Self.reference(to: job)]
            }
        }
        // An active job missing from the jobs read may be one the cache has not seen yet: ask the API.
        for reference in pass.status.active ?? [] where !owned.contains(where: { $0.metadata.name == reference.name }) {
            do {
                let current = try await client.get(.scanJob, namespace: pass.namespace, name: reference.name)
                if current[path: ["metadata", "uid"]]?.stringValue == reference.uid { continue }
            } catch let status as APIStatus where status.code == 404 {
            }
            pass.status.active = pass.status.active?.filter { $0.name != reference.name }
            await event(pass, .warning, "MissingJob", "Active job went missing: \(reference.name)")
        }
    }

    // MARK: Scheduling

    /// Creates the run for the most recent missed start, if any and if the policies allow; returns when to look
    /// again.
    private func startDueRun(_ pass: inout SchedulePass, jobs owned: [ScanJob]) async throws -> ReconcileResult {
        let spec = pass.schedule.spec
        if spec.suspend == true { return .done }
        let cron: CronSchedule
        let zone: TimeZone
        do {
            cron = try CronSchedule(parsing: spec.schedule)
            zone = try CronTimeZone.named(spec.timeZone)
        } catch {
            // Admission refuses these; a schedule stored some other way waits for a change of its spec.
            await event(pass, .warning, "InvalidSchedule", "\(error)")
            return .done
        }
        let earliest = pass.status.lastScheduleTime.flatMap(Timestamp.date)
            ?? pass.schedule.metadata.creationTimestamp.flatMap(Timestamp.date) ?? pass.now
        var window = earliest
        if let deadline = spec.startingDeadlineSeconds {
            window = max(earliest, pass.now.addingTimeInterval(-TimeInterval(deadline)))
        }
        let missed = cron.missedStarts(after: window, through: pass.now, in: zone, limit: Self.missedStartsLimit)
        let next = waitForNextStart(cron, zone: zone, pass: pass)
        if missed.exceedsLimit {
            await event(
                pass, .warning, "TooManyMissedTimes",
                "More than \(Self.missedStartsLimit) start times were missed; only the latest runs. Set or decrease startingDeadlineSeconds or check clock skew")
        }
        guard let scheduled = missed.mostRecent else {
            if window > earliest, let late = cron.previous(atOrBefore: window, in: zone), late > earliest {
                await event(
                    pass, .warning, "MissSchedule",
                    "Missed the start at \(Timestamp.string(late)): more than startingDeadlineSeconds (\(spec.startingDeadlineSeconds ?? 0)) ago")
            }
            return next
        }
        let scheduledText = Timestamp.string(scheduled)
        if pass.status.lastScheduleTime == scheduledText { return next }
        let jobName = Self.jobName(schedule: pass.name, scheduled: scheduled)
        if let existing = owned.first(where: { $0.metadata.name == jobName }) {
            // Created by a pass that stopped before writing the status.
            record(existing, scheduled: scheduledText, in: &pass)
            return next
        }
        let active = (pass.status.active ?? []).filter { $0.name != jobName }
        switch spec.concurrencyPolicy ?? "Allow" {
        case "Forbid" where !active.isEmpty:
            await event(
                pass, .normal, "JobAlreadyActive",
                "Not starting the run for \(scheduledText) because \(active.map(\.name).joined(separator: ", ")) is still running and concurrencyPolicy is Forbid")
            return next
        case "Replace":
            for reference in active {
                do {
                    try await client.delete(.scanJob, namespace: pass.namespace, name: reference.name)
                } catch let status as APIStatus where status.code == 404 {
                }
                pass.status.active = pass.status.active?.filter { $0.name != reference.name }
                await event(pass, .normal, "SuccessfulDelete", "Deleted job \(reference.name) to replace it with the run for \(scheduledText)")
            }
        default:
            break
        }
        let job = ScheduledJobBuilder(schedule: pass.object, name: pass.name, namespace: pass.namespace, uid: pass.uid)
            .job(named: jobName, scheduled: scheduledText, baseline: Self.latestDone(owned))
        do {
            let created = try await client.create(.scanJob, job)
            record(try created.decode(as: ScanJob.self), scheduled: scheduledText, in: &pass)
            await event(pass, .normal, "SuccessfulCreate", "Created job \(jobName) for \(scheduledText)")
        } catch let status as APIStatus where status.code == 409 {
            // Created by an earlier pass that the job cache has not caught up with, or by someone else.
            let existing = try await client.get(.scanJob, namespace: pass.namespace, name: jobName)
            guard ScheduledJobBuilder.isControlled(existing, by: pass.uid) else {
                await event(pass, .warning, "FailedCreate", "A ScanJob named \(jobName) exists and does not belong to this schedule")
                return next
            }
            record(try existing.decode(as: ScanJob.self), scheduled: scheduledText, in: &pass)
        } catch let status as APIStatus {
            await event(pass, .warning, "FailedCreate", "Error creating job \(jobName): \(status.message)")
            throw status
        }
        return next
    }

    /// Notes a run as created for `scheduled`: the start is done with, and the job is active until it finishes.
    private func record(_ job: ScanJob, scheduled: String, in pass: inout SchedulePass) {
        pass.status.lastScheduleTime = max(pass.status.lastScheduleTime ?? "", scheduled)
        let finished = job.status?.phase?.isFinished == true
        if !finished, !(pass.status.active ?? []).contains(where: { $0.name == job.metadata.name }) {
            pass.status.active = (pass.status.active ?? []) + [Self.reference(to: job)]
        }
    }

    /// Requeue at the next start time (never polling); `.done` when the schedule has none within nine years.
    private func waitForNextStart(_ cron: CronSchedule, zone: TimeZone, pass: SchedulePass) -> ReconcileResult {
        guard let next = cron.next(after: pass.now, in: zone) else { return .done }
        let seconds = max(0, next.timeIntervalSince(pass.now))
        return .requeue(after: .milliseconds(Int64((seconds * 1000).rounded(.up))) + Self.wakeMargin)
    }

    // MARK: Notifications

    /// Tells the notify targets about the newest finished run, once: only a run whose job has no
    /// `status.notifications` yet (read fresh from the API, not the cache), compared with the finished run before
    /// it in the history. What was delivered is written to the job's status and recorded as Events; a controller
    /// killed between the delivery and that write delivers again, with the same `Idempotency-Key`.
    private func notifyNewestRun(_ owned: [ScanJob], pass: SchedulePass) async throws {
        guard let notifier, !(pass.schedule.spec.notify ?? []).isEmpty else { return }
        let history = pass.status.history ?? []
        guard let index = history.firstIndex(where: { $0.phase.isFinished }) else { return }
        let run = history[index]
        guard let cached = owned.first(where: { $0.metadata.name == run.job }), cached.status?.notifications == nil,
            cached.metadata.deletionTimestamp == nil
        else { return }
        let fresh: JSONValue
        do {
            fresh = try await client.get(.scanJob, namespace: pass.namespace, name: run.job)
        } catch let status as APIStatus where status.code == 404 {
            return
        }
        guard fresh[path: ["status", "notifications"]] == nil, let job = try? fresh.decode(as: ScanJob.self),
            job.metadata.uid == cached.metadata.uid
        else { return }
        let previous = history[(index + 1)...].first { $0.phase.isFinished }
        let records = try await notifier.notify(schedule: pass.schedule, job: job, run: run, previous: previous)
        for record in records {
            let text = "\(record.target) (\(record.events.joined(separator: ", "))) about \(run.job): \(record.result) after \(record.attempts) attempt(s)"
                + (record.message.map { ": \($0)" } ?? "")
            if record.result == "Delivered" {
                await event(pass, .normal, "Notified", text)
            } else {
                await event(pass, .warning, "NotificationFailed", text)
            }
        }
        try await recordNotifications(records, job: fresh)
    }

    /// Writes `records` as the job's `status.notifications` (an empty list when none was due), retrying on a
    /// conflicting write by another controller.
    private func recordNotifications(_ records: [NotificationRecord], job: JSONValue) async throws {
        var current = job
        for attempt in 1...5 {
            current[path: "status", "notifications"] = try JSONValue(encoding: records)
            do {
                _ = try await client.updateStatus(.scanJob, current)
                return
            } catch let status as APIStatus where status.code == 409 && attempt < 5 {
                let name = job[path: ["metadata", "name"]]?.stringValue ?? ""
                current = try await client.get(.scanJob, namespace: job[path: ["metadata", "namespace"]]?.stringValue, name: name)
                guard current[path: ["metadata", "uid"]] == job[path: ["metadata", "uid"]],
                    current[path: ["status", "notifications"]] == nil
                else { return }
            }
        }
    }

    // MARK: Status and clean-up

    private func writeStatus(_ pass: SchedulePass) async throws {
        var status = pass.status
        status.activeCount = Int64(status.active?.count ?? 0)
        if status.active?.isEmpty == true { status.active = nil }
        status.observedGeneration = pass.schedule.metadata.generation
        guard status != pass.schedule.status else { return }
        var updated = pass.object
        updated["status"] = try JSONValue(encoding: status)
        _ = try await client.updateStatus(.scanSchedule, updated)
    }

    /// Deletes the oldest finished runs beyond `successfulJobsHistoryLimit` (default 3) and
    /// `failedJobsHistoryLimit` (default 1); called after the status write, so their history entries are stored.
    private func deleteBeyondLimits(_ owned: [ScanJob], pass: SchedulePass) async throws {
        let recorded = Set((pass.status.history ?? []).map(\.job))
        for (phase, limit) in [(ScanJobPhase.done, pass.schedule.spec.successfulJobsHistoryLimit ?? 3), (.failed, pass.schedule.spec.failedJobsHistoryLimit ?? 1)] {
            let finished = owned.filter { $0.status?.phase == phase && $0.metadata.deletionTimestamp == nil }
                .sorted { Self.finishOrder($0) < Self.finishOrder($1) }
            for job in finished.dropLast(Int(max(0, limit))) {
                guard let jobName = job.metadata.name, recorded.contains(jobName) else { continue }
                do {
                    try await client.delete(.scanJob, namespace: pass.namespace, name: jobName)
                } catch let status as APIStatus where status.code == 404 {
                    continue
                }
                await event(pass, .normal, "SuccessfulDelete", "Deleted job \(jobName), beyond the history limit")
            }
        }
    }

    // MARK: Helpers

    private func event(_ pass: SchedulePass, _ type: ScheduleEventType, _ reason: String, _ message: String) async {
        await events.record(regarding: pass.object, type: type, reason: reason, message: message)
    }

    static func scheduledTime(of job: ScanJob) -> String? {
        job.metadata.annotations?[scheduledTimeAnnotation]
    }

    /// Sorts finished jobs by when they finished (then start time, then name).
    static func finishOrder(_ job: ScanJob) -> String {
        "\(job.status?.completionTime ?? "")|\(scheduledTime(of: job) ?? "")|\(job.metadata.name ?? "")"
    }

    /// The name of the most recent Done run, the baseline of the next one.
    static func latestDone(_ owned: [ScanJob]) -> String? {
        owned.filter { $0.status?.phase == .done && $0.metadata.deletionTimestamp == nil }
            .max { (scheduledTime(of: $0) ?? "", $0.metadata.name ?? "") < (scheduledTime(of: $1) ?? "", $1.metadata.name ?? "") }?
            .metadata.name
    }

    static func reference(to job: ScanJob) -> ObjectReference {
        ObjectReference(
            apiVersion: ResourceKind.scanJob.apiVersion, kind: ResourceKind.scanJob.kind, namespace: job.metadata.namespace,
            name: job.metadata.name ?? "", uid: job.metadata.uid)
    }
}

/// One pass over a schedule: what was read, the clock, and the status being built.
struct SchedulePass {
    var object: JSONValue
    var schedule: ScanSchedule
    var uid: String
    var now: Date
    var status: ScanScheduleStatus

    init(object: JSONValue, schedule: ScanSchedule, uid: String, now: Date) {
        self.object = object
        self.schedule = schedule
        self.uid = uid
        self.now = now
        self.status = schedule.status ?? ScanScheduleStatus()
    }

    var name: String { schedule.metadata.name ?? "" }
    var namespace: String? { schedule.metadata.namespace }
}

extension ScheduleRun {
    /// The run without its score change, which is computed when it is recorded.
    var withoutDelta: ScheduleRun {
        var run = self
        run.scoreDelta = nil
        return run
    }
}
