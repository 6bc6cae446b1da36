import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowObjectStore
import StageflowReport
import StageflowScanner
import StageflowVision

/// Reconciles one ScanJob for the vision controller: while the job is Scanning and a scanner of its plan is run by
/// this controller (`entry.controller: vision`) and has no results yet, makes sure its journey is under way here —
/// starting it, or starting it over once when `progress.json` shows that an earlier attempt was cut off (a
/// controller killed mid-journey). When the job leaves Scanning, its journeys stop. It never writes the job: results
/// and progress go to the object store, which the ScanJob controller observes.
struct VisionReconciler: Reconciler {
    let jobs: ObjectCache
    /// The Scanner informer's cache: which scanners this controller runs.
    let scanners: ObjectCache
    let objects: any ObjectStore
    let pool: JourneyPool
    let walker: JourneyWalker
    let configuration: VisionControllerConfiguration
    let logger: Logger

    func reconcile(_ name: ObjectName) async throws -> ReconcileResult {
        guard let object = jobs.get(name), let uid = object[path: ["metadata", "uid"]]?.stringValue else {
            return .done
        }
        guard object[path: ["status", "phase"]]?.stringValue == ScanJobPhase.scanning.rawValue,
            object[path: ["metadata", "deletionTimestamp"]] == nil
        else {
            await pool.cancel(uid: uid)
            return .done
        }
        let selected = (object[path: ["spec", "scanners"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        guard selected.contains(where: runsHere) else { return .done }
        guard let plan = try await readPlan(uid) else { return .requeue(after: configuration.pollInterval) }
        let states = Dictionary(
            (object[path: ["status", "scanners"]]?.arrayValue ?? []).compactMap { entry -> (String, String)? in
                guard let name = entry["name"]?.stringValue, let state = entry["state"]?.stringValue else { return nil }
                return (name, state)
            }, uniquingKeysWith: { first, _ in first })
        var walking = false
        for planned in plan.scanners where planned.entry.controller == VisionControllerConfiguration.controllerName {
            guard let state = states[planned.id], state == "Pending" || state == "Running" else { continue }
            let key = JourneyPool.Key(uid: uid, scanner: planned.id)
            if await pool.isActive(key) {
                walking = true
                continue
            }
            let prefix = try ObjectKeys.scannerPrefix(jobUID: uid, scanner: planned.id)
            if try await objects.exists(prefix + "results.json") { continue }
            try await begin(plan: plan, planned: planned, job: object, key: key, prefix: prefix)
            walking = true
        }
        return walking ? .requeue(after: configuration.pollInterval) : .done
    }

    /// Whether the Scanner `id` is run by this controller.
    private func runsHere(_ id: String) -> Bool {
        scanners.get(ObjectName(namespace: nil, name: id))?[path: ["spec", "entry", "controller"]]?.stringValue
            == VisionControllerConfiguration.controllerName
    }

    private func readPlan(_ uid: String) async throws -> ScanPlan? {
        let key = try ObjectKeys.plan(jobUID: uid)
        guard try await objects.exists(key) else { return nil }
        do {
            return try JSONDecoder().decode(ScanPlan.self, from: try await objects.get(key))
        } catch is DecodingError {
            throw TerminalError("\(key) is not a scan plan this controller can read")
        }
    }

    /// Starts the journey, as attempt 1, or as attempt 2 after an interruption; a third start is refused with failed
    /// results saying why.
    private func begin(plan: ScanPlan, planned: PlannedScanner, job: JSONValue, key: JourneyPool.Key, prefix: String) async throws {
        let progressKey = prefix + "progress.json"
        var interruptions: [String] = []
        var attempt = 1
        if try await objects.exists(progressKey), let earlier = try? JSONDecoder().decode(JourneyProgress.self, from: try await objects.get(progressKey)) {
            interruptions = (earlier.interruptions ?? []) + [
                "attempt \(earlier.attempt) was cut off at step \(earlier.step) (its controller, \(earlier.controller ?? "unknown"), stopped)"
            ]
            attempt = earlier.attempt + 1
        }
        let started = Date()
        if attempt > 2 {
            var results = ScannerResults.failed(
                scanner: planned.id,
                error: "the journey was cut off twice (\(interruptions.joined(separator: "; "))); it is not started a third time")
            results.timings = ScannerTimings(startedAt: Timestamp.string(started), finishedAt: Timestamp.string(Date()), durationMs: 0)
            try await walker.writeResults(results, prefix: prefix)
            logger.warning("\(key.uid)/\(planned.id): \(results.error ?? "")")
            return
        }
        let progress = JourneyProgress(
            attempt: attempt, maxSteps: 0, startedAt: Timestamp.string(started), controller: configuration.identity,
            interruptions: interruptions.isEmpty ? nil : interruptions)
        try await walker.writeProgress(progress, prefix: prefix)
        let deadline = jobDeadline(job)
        logger.info("\(key.uid)/\(planned.id): starting the journey (attempt \(attempt))")
        let walker = self.walker
        let (thisAttempt, earlierInterruptions) = (attempt, interruptions)
        await pool.start(key) {
            await walker.walk(
                plan: plan, planned: planned, attempt: thisAttempt, interruptions: earlierInterruptions, started: started, deadline: deadline,
                prefix: prefix)
        }
    }

    /// The job's scanning deadline, as the ScanJob controller reckons it, on this process's clock.
    private func jobDeadline(_ job: JSONValue) -> ContinuousClock.Instant? {
        guard let start = job[path: ["status", "startTime"]]?.stringValue.flatMap(Timestamp.date) else { return nil }
        let seconds = job[path: ["spec", "deadlines", "scanningSeconds"]]?.intValue ?? configuration.defaultScanningSeconds
        let remaining = start.addingTimeInterval(Double(seconds)).timeIntervalSinceNow
        return ContinuousClock.now + .milliseconds(Int64(max(0, remaining) * 1000))
    }
}
