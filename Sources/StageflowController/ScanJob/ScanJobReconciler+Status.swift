import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowRuntime

extension ScanJobReconciler {
    func stamp() -> String { Timestamp.string(now()) }

    func scanningSeconds(_ job: ScanJob) -> Int64 {
        job.spec.deadlines?.scanningSeconds ?? configuration.defaultScanningSeconds
    }

    /// Writes the status computed by `change` from the status read at the start of the pass, with
    /// compare-and-swap on the job's resourceVersion; a write that changes nothing is skipped.
    func writeStatus(_ context: JobContext, _ change: (inout ScanJobStatus) -> Void) async throws -> ReconcileResult {
        var status = context.status
        if status.conditions == nil { status.conditions = [] }
        let wasBlocked = status.conditions?[type: "Progressing"]?.status == .false
        change(&status)
        if wasBlocked, status.conditions?[type: "Progressing"]?.status == .false,
            status.conditions?[type: "Progressing"] == context.status.conditions?[type: "Progressing"]
        {
            status.conditions.set(Condition(type: "Progressing", status: .true, reason: "Recovered", message: "progressing again"), now: stamp())
        }
        status.observedGeneration = context.job.metadata.generation
        if status.conditions?.isEmpty == true { status.conditions = nil }
        guard status != context.job.status else { return .done }
        var updated = context.object
        updated["status"] = try JSONValue(encoding: status)
        _ = try await client.updateStatus(.scanJob, updated)
        return .done
    }

    /// Moves the job to Failed with a reason, stopping its scanners.
    func fail(_ context: JobContext, reason: String, message: String) async throws -> ReconcileResult {
        logger.info("\(context.displayName): failed: \(reason): \(message)")
        return try await writeStatus(context) { status in
            status.phase = .failed
            status.completionTime = status.completionTime ?? stamp()
            status.scanners = status.scanners?.map { scanner in
                guard scanner.state != "Succeeded", scanner.state != "Failed" else { return scanner }
                var stopped = scanner
                stopped.state = "Failed"
                stopped.message = "\(reason): \(message)"
                return stopped
            }
            status.conditions.set(Condition(type: "Failed", status: .true, reason: reason, message: message), now: stamp())
            if status.conditions?[type: "Scanning"]?.status == .true {
                status.conditions.set(Condition(type: "Scanning", status: .false, reason: reason, message: message), now: stamp())
            }
        }
    }

    /// The plan of a job: deterministic, so writing it again after a crash changes nothing.
    func makePlan(_ context: JobContext) throws -> ScanPlan {
        let spec = context.job.spec
        let planned = try spec.scanners.map { selection -> PlannedScanner in
            guard let manifest = scanners.spec(selection.name) else {
                throw TerminalError("no Scanner named \"\(selection.name)\" is registered")
            }
            return PlannedScanner(
                id: manifest.id, version: manifest.version, entry: manifest.entry, config: selection.config,
                maxConcurrency: manifest.capabilities?.maxConcurrency ?? 1,
                timeoutSeconds: manifest.requirements?.timeoutSeconds,
                memoryMiB: selection.resources?.memoryMiB ?? manifest.requirements?.memoryMiB ?? configuration.defaultMemoryMiB,
                severityMapping: manifest.severityMapping, requiresBrowser: manifest.capabilities?.requiresBrowser)
        }
        return ScanPlan(
            job: PlannedJob(uid: context.uid, namespace: context.job.metadata.namespace ?? "default", name: context.job.metadata.name ?? ""),
            urls: spec.target.urls ?? [], crawl: spec.target.crawl,
            allowPrivateTargets: spec.allowPrivateTargets == true && configuration.allowPrivateTargets,
            scanners: planned, artifactsPrefix: try ObjectKeys.artifactsPrefix(jobUID: context.uid))
    }

    /// One container per scanner, each running `stageflow scanner run` on the plan — except the built-in
    /// scanners that need a browser, which share one container (one browser, one load of each page) with the
    /// largest of their memory and time limits.
    func podSpec(_ context: JobContext, plan: ScanPlan, planKey: String) -> PodSpec {
        let containers = plan.containers.map { container in
            ContainerSpec(
                name: container.name,
                command: configuration.scannerCommand + [
                    "scanner", "run", "--object-store", configuration.objectStoreLocation, "--plan", planKey,
                ] + container.scanners.flatMap { ["--scanner", $0.id] },
                environment: configuration.scannerEnvironment,
                memoryLimitBytes: container.scanners.compactMap(\.memoryMiB).max().map { $0 * 1024 * 1024 },
                timeoutSeconds: container.scanners.compactMap(\.timeoutSeconds).max())
        }
        return PodSpec(
            jobUID: context.uid, displayName: context.displayName, containers: containers,
            hostNetwork: plan.allowPrivateTargets,
            labels: ["stageflow.dev/namespace": plan.job.namespace, "stageflow.dev/name": plan.job.name])
    }
}

extension Optional where Wrapped == [Condition] {
    /// Sets a condition on an optional list, creating it.
    mutating func set(_ condition: Condition, now: String) {
        var list = self ?? []
        list.set(condition, now: now)
        self = list
    }

    /// The condition of a type, if present.
    subscript(type type: String) -> Condition? { self?[type: type] }
}
