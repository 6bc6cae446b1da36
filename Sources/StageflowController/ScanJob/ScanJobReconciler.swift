import Foundation
import Logging
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowRuntime

/// Drives a ScanJob through `Pending → ReadyToScan → Scanning → Completing → Done | Failed` (archives pass
/// through `Extracting`). Each pass re-reads the job, observes its pod, its objects and the clock, and takes
/// the one next step; every step is idempotent, and everything needed to resume is in the job's status, the
/// pod runtime and the object store, so a controller killed at any point converges after a restart.
public struct ScanJobReconciler: Reconciler {
    /// The finalizer that keeps a job until its pod and artifacts are gone.
    public static let finalizer = "stageflow.dev/cleanup"

    let jobs: ObjectCache
    let client: any ResourceClient
    let runtime: any PodRuntime
    let objects: any ObjectStore
    let scanners: ScannerCatalog
    let configuration: ScanJobReconcilerConfiguration
    let logger: Logger
    let now: @Sendable () -> Date
    /// Where the job's steps are told (as Events), if anywhere.
    let events: EventRecorder?

    /// A reconciler reading jobs from `jobs` (the ScanJob informer's cache) and writing through `client`.
    public init(
        jobs: ObjectCache, client: any ResourceClient, runtime: any PodRuntime, objects: any ObjectStore,
        scanners: ScannerCatalog, configuration: ScanJobReconcilerConfiguration, events: EventRecorder? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.events = events
        self.jobs = jobs
        self.client = client
        self.runtime = runtime
        self.objects = objects
        self.scanners = scanners
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    public func reconcile(_ name: ObjectName) async throws -> ReconcileResult {
        guard let object = jobs.get(name) else { return .done }
        if let uid = Self.settledJobUID(object) {
            // The common case on a resync: a finished job with nothing left to do but make sure its pod is gone.
            try await runtime.deletePod(jobUID: uid)
            return .done
        }
        let job: ScanJob
        do {
            job = try object.decode(as: ScanJob.self)
        } catch {
            throw TerminalError("\(name): stored ScanJob does not decode: \(error)")
        }
        guard let uid = job.metadata.uid else { throw TerminalError("\(name): ScanJob has no uid") }
        if job.metadata.deletionTimestamp != nil {
            return try await finalize(object, job: job, uid: uid)
        }
        if !(job.metadata.finalizers ?? []).contains(Self.finalizer) {
            var updated = object
            let finalizers = (job.metadata.finalizers ?? []) + [Self.finalizer]
            updated["metadata"]?["finalizers"] = .array(finalizers.map { .string($0) })
            _ = try await client.update(.scanJob, updated)
            return .done
        }
        let context = JobContext(object: object, job: job, uid: uid)
        do {
            switch job.status?.phase ?? .pending {
            case .pending: return try await accept(context)
            case .extracting: return try await extract(context)
            case .readyToScan: return try await startScanning(context)
            case .scanning: return try await observeScanning(context)
            case .completing: return try await complete(context)
            case .done, .failed: return try await finished(context)
            }
        } catch let error as RuntimeError {
            try await reportBlocked(context, reason: "RuntimeUnavailable", message: error.description)
            throw error
        } catch let error as ObjectStoreError {
            try await reportBlocked(context, reason: "ObjectStoreUnavailable", message: error.description)
            throw error
        }
    }

    /// Records on the job why it cannot progress (the pod runtime or object store is away); the caller then
    /// retries with backoff. Blocked is a state, not a loop: the condition is written when the cause changes and
    /// left alone while it stays the same (so a job blocked for an hour has a handful of revisions, not one per
    /// retry), one Event is emitted per cause, and before Scanning a job blocked past `blockedDeadline` fails
    /// with the cause (Scanning has its own deadline).
    private func reportBlocked(_ context: JobContext, reason: String, message: String) async throws {
        let previous = context.status.conditions?[type: "Progressing"]
        let sameCause = previous?.status == .false && previous?.reason == reason
        if sameCause, let since = previous?.lastTransitionTime.flatMap(Timestamp.date),
            Self.isBeforeScanning(context.status.phase ?? .pending),
            now().timeIntervalSince(since) >= configuration.blockedDeadline.seconds
        {
            _ = try? await fail(
                context, reason: reason,
                message: "blocked for more than \(Int(configuration.blockedDeadline.seconds)) s before scanning: \(message)")
            return
        }
        // The same cause with a new wording (an address, a count) is not a change worth a revision.
        guard !sameCause else { return }
        do {
            _ = try await writeStatus(context, recovering: false) { status in
                status.conditions.set(Condition(type: "Progressing", status: .false, reason: reason, message: message), now: stamp())
            }
            // Told only by the pass whose write won: a pass on a stale copy of the job loses the compare-and-swap.
            events?.warning(context.object, kind: .scanJob, reason: reason, message: message)
        } catch {
            logger.debug("\(context.displayName): recording the block failed: \(error)")
        }
    }

    static func isBeforeScanning(_ phase: ScanJobPhase) -> Bool {
        phase == .pending || phase == .extracting || phase == .readyToScan
    }

    /// The uid of a finished job that needs no decoding: not being deleted, holding our finalizer, with no TTL
    /// to wait for. Read straight from the JSON, because decoding every job on every resync dominates its cost.
    static func settledJobUID(_ object: JSONValue) -> String? {
        guard let phase = object[path: ["status", "phase"]]?.stringValue, phase == "Done" || phase == "Failed",
            object[path: ["metadata", "deletionTimestamp"]] == nil, object[path: ["spec", "ttlSecondsAfterFinished"]] == nil,
            object[path: ["metadata", "finalizers"]]?.arrayValue?.contains(.string(finalizer)) == true
        else { return nil }
        return object[path: ["metadata", "uid"]]?.stringValue
    }

    /// A job as read at the start of a pass.
    struct JobContext {
        var object: JSONValue
        var job: ScanJob
        var uid: String

        var status: ScanJobStatus { job.status ?? ScanJobStatus() }
        var displayName: String { "\(job.metadata.namespace ?? "default")-\(job.metadata.name ?? uid)" }
    }

    // MARK: Deletion

    private func finalize(_ object: JSONValue, job: ScanJob, uid: String) async throws -> ReconcileResult {
        guard (job.metadata.finalizers ?? []).contains(Self.finalizer) else { return .done }
        try await runtime.deletePod(jobUID: uid)
        try await objects.deletePrefix(try ObjectKeys.artifactsPrefix(jobUID: uid))
        try await objects.deletePrefix(try ObjectKeys.stagingPrefix(jobUID: uid))
        var updated = object
        let remaining = (job.metadata.finalizers ?? []).filter { $0 != Self.finalizer }
        updated["metadata"]?["finalizers"] = .array(remaining.map { .string($0) })
        _ = try await client.update(.scanJob, updated)
        logger.info("\(job.metadata.namespace ?? "")/\(job.metadata.name ?? ""): pod and artifacts removed")
        return .done
    }

    // MARK: Pending

    private func accept(_ context: JobContext) async throws -> ReconcileResult {
        let spec = context.job.spec
        if spec.suspend == true {
            return try await writeStatus(context) { status in
                status.phase = .pending
                status.conditions.set(
                    Condition(type: "Accepted", status: .false, reason: "Suspended", message: "the job is suspended"), now: stamp())
            }
        }
        if let problem = planningProblem(spec) {
            return try await fail(context, reason: problem.reason, message: problem.message)
        }
        let next: ScanJobPhase = spec.target.archive != nil ? .extracting : .readyToScan
        defer { events?.normal(context.object, kind: .scanJob, reason: "Accepted", message: "the job is valid and planned") }
        return try await writeStatus(context) { status in
            status.phase = next
            status.conditions.set(
                Condition(type: "Accepted", status: .true, reason: "Accepted", message: "the job is valid and planned"),
                now: stamp())
            if next == .extracting {
                status.startTime = status.startTime ?? stamp()
            }
        }
    }

    private func planningProblem(_ spec: ScanJobSpec) -> (reason: String, message: String)? {
        if spec.target.archive == nil, (spec.target.urls ?? []).isEmpty {
            return ("NoTarget", "spec.target needs urls or an archive")
        }
        for selection in spec.scanners {
            guard let manifest = scanners.spec(selection.name) else {
                return ("UnknownScanner", "no Scanner named \"\(selection.name)\" is registered")
            }
            if runnableEntry(manifest) == nil { return ("PluginNotInstalled", Self.notInstalled(manifest)) }
        }
        if spec.allowPrivateTargets == true, !configuration.allowPrivateTargets {
            return ("PrivateTargetsNotPermitted", "this server does not permit private targets (--allow-private-targets)")
        }
        return nil
    }

    // MARK: Extracting

    /// Runs the archive container, which extracts the upload under `SafeArchiveExtractor`'s limits and serves it
    /// on loopback, and waits for the outcome it writes to `artifacts/<uid>/site.json`: Serving moves the job to
    /// ReadyToScan, a refusal fails it with `UnsafeArchive` naming the check.
    private func extract(_ context: JobContext) async throws -> ReconcileResult {
        let siteKey = try ObjectKeys.archiveSite(jobUID: context.uid)
        if let site = try await archiveSite(siteKey) {
            switch site.state {
            case .serving:
                let origin = site.origin ?? ""
                let message = "\(site.files ?? 0) files (\(site.bytes ?? 0) bytes), \(site.pages?.count ?? 0) pages served at \(origin)"
                events?.normal(context.object, kind: .scanJob, reason: "Extracted", message: message)
                return try await writeStatus(context) { status in
                    status.phase = .readyToScan
                    status.conditions.set(Condition(type: "Extracted", status: .true, reason: "Extracted", message: message), now: stamp())
                }
            case .rejected:
                return try await fail(context, reason: "UnsafeArchive", message: site.message ?? "the archive was refused")
            case .failed:
                return try await fail(context, reason: "ExtractionFailed", message: site.message ?? "the archive could not be extracted")
            }
        }
        let started = context.status.startTime.flatMap(Timestamp.date) ?? now()
        let seconds = context.job.spec.deadlines?.extractionSeconds ?? configuration.defaultExtractionSeconds
        let deadline = started.addingTimeInterval(Double(seconds))
        if now() >= deadline {
            try await runtime.stop(jobUID: context.uid, container: nil)
            return try await fail(context, reason: "DeadlineExceeded", message: "extracting did not finish within \(seconds) seconds")
        }
        let archiveContainer = ScanPlan.archiveContainer
        if case .exited(let code, let reason)? = try await runtime.observe(jobUID: context.uid)?.containers[archiveContainer] {
            // The container writes its outcome before it exits: read once more before calling it lost.
            if try await archiveSite(siteKey) != nil { return .requeue(after: .zero) }
            let tail = (try? await runtime.logs(jobUID: context.uid, container: archiveContainer, maxBytes: configuration.logTailBytes)) ?? ""
            return try await fail(
                context, reason: "ExtractionFailed",
                message: "the archive container " + failureMessage(code: code, reason: reason, wroteResults: false, logTail: tail))
        }
        try await runtime.ensurePod(podSpec(context, plan: nil, planKey: nil))
        let poll = min(configuration.pollInterval.seconds, max(deadline.timeIntervalSince(now()), 0.05))
        return .requeue(after: .milliseconds(Int64(poll * 1000)))
    }

    /// The outcome the archive container wrote, or `nil` before it has written one. An outcome that does not
    /// decode is a failure, not a wait.
    func archiveSite(_ key: String) async throws -> ArchiveSite? {
        guard try await objects.exists(key) else { return nil }
        let data = try await objects.get(key)
        do {
            return try JSONDecoder().decode(ArchiveSite.self, from: data)
        } catch {
            return ArchiveSite(state: .failed, message: "\(key) does not decode: \(error)")
        }
    }

    // MARK: Scanning

    private func startScanning(_ context: JobContext) async throws -> ReconcileResult {
        guard let plan = try await makePlan(context) else { return try await archiveSiteLost(context) }
        let planKey = try ObjectKeys.plan(jobUID: context.uid)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try await objects.put(planKey, data: try encoder.encode(plan), contentType: "application/json")
        if needsPod(context, plan: plan) { try await runtime.ensurePod(podSpec(context, plan: plan, planKey: planKey)) }
        let initial = await initialScannerStatuses(plan)
        events?.normal(
            context.object, kind: .scanJob, reason: "Scanning",
            message: "\(plan.scanners.count) scanner(s) started on \(runtime.name) for \(plan.urls.count) URL(s)")
        return try await writeStatus(context) { status in
            status.phase = .scanning
            status.startTime = status.startTime ?? stamp()
            status.pages = PageCounts(total: Int64(plan.urls.count), scanned: nil, failed: nil)
            status.scanners = initial
            status.conditions.set(
                Condition(type: "Scanning", status: .true, reason: "PodStarted", message: "scanners are running on \(runtime.name)"),
                now: stamp())
        }
    }

    private func observeScanning(_ context: JobContext) async throws -> ReconcileResult {
        guard let plan = try await makePlan(context) else { return try await archiveSiteLost(context) }
        let observed = needsPod(context, plan: plan) ? try await runtime.observe(jobUID: context.uid) : PodObservation(containers: [:])
        guard let observation = observed else {
            if context.job.spec.target.archive != nil {
                // The site went with the pod, and a new archive container would serve it on another port than
                // the scanners were told.
                return try await fail(
                    context, reason: "PodLost", message: "the pod serving the extracted archive is gone; create the job again")
            }
            // The pod is gone (removed by hand, or never created before a crash): create it again.
            try await runtime.ensurePod(podSpec(context, plan: plan, planKey: try ObjectKeys.plan(jobUID: context.uid)))
            return .requeue(after: configuration.pollInterval)
        }
        let incomplete = plan.scanners.contains { scanner in
            guard scanner.entry.controller == nil else { return false }
            switch observation.containers[scanner.containerName] {
            case nil, .created?: return true
            default: return false
            }
        }
        if incomplete {
            // A container is missing or never got going (a crash between deciding and starting it): ensurePod
            // starts exactly what is missing.
            try await runtime.ensurePod(podSpec(context, plan: plan, planKey: try ObjectKeys.plan(jobUID: context.uid)))
        }
        let started = context.status.startTime.flatMap(Timestamp.date) ?? now()
        let deadline = started.addingTimeInterval(Double(scanningSeconds(context.job)))
        if now() >= deadline {
            try await runtime.stop(jobUID: context.uid, container: nil)
            return try await fail(
                context, reason: "DeadlineExceeded",
                message: "scanning did not finish within \(scanningSeconds(context.job)) seconds")
        }
        var scannerStatuses: [ScanJobScannerStatus] = []
        let pod = podSpec(context, plan: plan, planKey: try ObjectKeys.plan(jobUID: context.uid))
        for planned in plan.scanners {
            let previous = context.status.scanners?.first { $0.name == planned.id } ?? ScanJobScannerStatus(name: planned.id, state: "Pending")
            if planned.entry.controller != nil {
                scannerStatuses.append(try await observeControllerRun(planned, previous: previous, uid: context.uid))
                continue
            }
            scannerStatuses.append(
                try await observe(planned.id, container: planned.containerName, previous: previous, in: observation, pod: pod, context: context))
        }
        let allFinished = scannerStatuses.allSatisfy { ["Succeeded", "Failed", "Skipped"].contains($0.state) }
        let remaining = deadline.timeIntervalSince(now())
        let result = try await writeStatus(context) { status in
            status.scanners = scannerStatuses
            if allFinished {
                status.phase = .completing
                status.conditions.set(
                    Condition(type: "Scanning", status: .false, reason: "ScannersFinished", message: "every scanner has finished"),
                    now: stamp())
            }
        }
        if allFinished { return result }
        let poll = min(configuration.pollInterval.seconds, max(remaining, 0.05))
        return .requeue(after: .milliseconds(Int64(poll * 1000)))
    }

    private func observe(
        _ scanner: String, container: String, previous: ScanJobScannerStatus, in observation: PodObservation, pod: PodSpec,
        context: JobContext
    )
        async throws -> ScanJobScannerStatus
    {
        let uid = context.uid
        var status = previous
        if status.state == "Succeeded" || status.state == "Failed" { return status }
        // The runtime's count as much as the status's: a pass that read a stale job still sees how often the
        // container really ran again (see ScanJobReconciler+Restarts).
        status.restarts = Self.restarts(status.restarts, observed: observation.restarts[container])
        switch observation.containers[container] {
        case nil, .created?:
            status.state = "Pending"
        case .running?:
            status.state = "Running"
            status.startedAt = status.startedAt ?? stamp()
        case .exited(let code, let reason)?:
            status.exitCode = Int64(code)
            status.startedAt = status.startedAt ?? stamp()
            let exitedAt = status.finishedAt.flatMap(Timestamp.date) ?? now()
            status.finishedAt = status.finishedAt ?? stamp()
            if code == 0 {
                switch try await readResults(scanner: scanner, uid: uid) {
                case .value(let results):
                    status.state = results.status == .failed ? "Failed" : "Succeeded"
                    // The scanner's own clock, to the millisecond, rather than when a poll happened to see it.
                    status.startedAt = results.timings?.startedAt ?? status.startedAt
                    status.finishedAt = results.timings?.finishedAt ?? status.finishedAt
                    status.findings = Int64(results.findings.count)
                    status.message = results.error
                    return status
                case .undecodable(let problem):
                    status.state = "Failed"
                    status.message = "exited 0, but \(problem)"
                    return status
                case .missing where now().timeIntervalSince(exitedAt) < configuration.resultsGracePeriod.seconds:
                    // Written before the exit, but a store may show it a moment later: wait for it.
                    status.state = "Running"
                    status.message = "exited 0; waiting for results.json"
                    return status
                case .missing:
                    break
                }
            }
            let tail = (try? await runtime.logs(jobUID: uid, container: container, maxBytes: configuration.logTailBytes)) ?? ""
            let message = failureMessage(code: code, reason: reason, wroteResults: code == 0, logTail: tail)
            if Self.isInfrastructureFailure(code: code, reason: reason),
                let restarted = try await restart(status, container: container, pod: pod, cause: message, context: context)
            {
                return restarted
            }
            status.state = "Failed"
            status.message = message + Self.restartsSuffix(status.restarts)
        }
        return status
    }

    private func failureMessage(code: Int32, reason: String?, wroteResults: Bool, logTail: String) -> String {
        var message: String
        switch reason {
        case "MemoryLimitExceeded"?: message = "exceeded its memory limit (exit code \(code))"
        case "Timeout"?: message = "ran past its time limit and was killed (exit code \(code))"
        case "Killed"?: message = "was killed (exit code \(code))"
        default: message = wroteResults ? "exited 0 without writing results.json" : "exited with code \(code)"
        }
        let tail = logTail.trimmingCharacters(in: .whitespacesAndNewlines)
        if !tail.isEmpty { message += ": " + tail }
        return message
    }

    // MARK: Completing

    private func complete(_ context: JobContext) async throws -> ReconcileResult {
        let prefix = try ObjectKeys.artifactsPrefix(jobUID: context.uid)
        var results: [ScannerResults] = []
        for scanner in context.status.scanners ?? [] {
            let timings = ScannerTimings(startedAt: scanner.startedAt, finishedAt: scanner.finishedAt)
            if scanner.state == "Skipped" {
                results.append(.skipped(scanner: scanner.name, reason: scanner.message ?? "skipped"))
                continue
            }
            guard scanner.state == "Succeeded" else {
                results.append(.failed(scanner: scanner.name, error: scanner.message ?? "failed", timings: timings))
                continue
            }
            switch try await readResults(scanner: scanner.name, uid: context.uid) {
            case .value(let decoded):
                results.append(decoded)
            case .missing:
                results.append(.failed(scanner: scanner.name, error: "results.json is no longer in the object store", timings: timings))
            case .undecodable(let problem):
                results.append(.failed(scanner: scanner.name, error: problem, timings: timings))
            }
        }
        let baseline = try await baselineReport(context.job)
        let report = ReportAggregator().aggregate(
            meta: reportMeta(context), results: results, artifacts: try await artifacts(prefix), baseline: baseline)
        let reportKey = try ObjectKeys.reportJSON(jobUID: context.uid)
        let htmlKey = try ObjectKeys.reportHTML(jobUID: context.uid)
        try await objects.put(reportKey, data: try report.jsonData(pretty: true), contentType: "application/json")
        try await objects.put(htmlKey, data: await reportHTML(report), contentType: "text/html; charset=utf-8")
        let succeeded = results.contains { $0.status.completed }
        let summary = Self.statusSummary(of: report)
        if succeeded {
            events?.normal(
                context.object, kind: .scanJob, reason: "Completed",
                message: "report ready: \(report.summary.totalIssues) issue(s) on \(report.summary.pagesScanned) page(s)")
        } else {
            events?.warning(context.object, kind: .scanJob, reason: "AllScannersFailed", message: "no scanner succeeded")
        }
        let pagesScanned = Int64(report.summary.pagesScanned)
        return try await writeStatus(context) { status in
            status.reportRef = ReportReference(jsonKey: reportKey, htmlKey: htmlKey)
            status.summary = summary
            status.pages = PageCounts(total: status.pages?.total, scanned: pagesScanned, failed: nil)
            status.completionTime = status.completionTime ?? stamp()
            if succeeded {
                status.phase = .done
                status.conditions.set(
                    Condition(type: "Complete", status: .true, reason: "ReportReady", message: completionMessage(status)),
                    now: stamp())
            } else {
                status.phase = .failed
                status.conditions.set(
                    Condition(type: "Failed", status: .true, reason: "AllScannersFailed", message: "no scanner succeeded"),
                    now: stamp())
            }
        }
    }

    private func completionMessage(_ status: ScanJobStatus) -> String {
        let failed = (status.scanners ?? []).filter { $0.state == "Failed" }.map(\.name)
        return failed.isEmpty ? "every scanner succeeded" : "partial results: \(failed.joined(separator: ", ")) failed"
    }

    private func reportMeta(_ context: JobContext) -> ReportMeta {
        let start = context.status.startTime ?? context.job.metadata.creationTimestamp ?? stamp()
        // The completion time is derived from the scanners' recorded finish times, so a report rewritten after a
        // crash is byte-for-byte the same.
        let finish = (context.status.scanners ?? []).compactMap(\.finishedAt).max() ?? start
        let duration = max(0, (Timestamp.date(finish)?.timeIntervalSince(Timestamp.date(start) ?? Date()) ?? 0) * 1000)
        return ReportMeta(
            jobId: context.uid, jobName: context.job.metadata.name,
            baseUrl: context.job.spec.target.urls?.first ?? context.job.spec.target.archive?.fileName ?? "",
            scannedAt: start, completedAt: finish, durationMs: Int64(duration))
    }

    private func artifacts(_ prefix: String) async throws -> [Artifact] {
        try await objects.list(prefix: prefix)
            .filter { !$0.key.hasSuffix("/report.json") && !$0.key.hasSuffix("/report.html") || $0.key.dropFirst(prefix.count).contains("/") }
            .sorted { $0.key < $1.key }
            .map { info in
                let relative = info.key.dropFirst(prefix.count)
                let scanner = relative.contains("/") ? relative.split(separator: "/").first.map(String.init) : nil
                let kind: String =
                    relative.hasSuffix("results.json") ? "results"
                    : relative.hasSuffix(".png") ? "screenshot"
                    : relative == "plan.json" ? "plan"
                    : relative == "provenance.json" ? "provenance"
                    : relative.hasSuffix(".html") ? "scanner-report" : "other"
                return Artifact(key: info.key, kind: kind, scanner: scanner, contentType: info.contentType, sizeBytes: info.size)
            }
    }

    /// The baseline job's report, read from the key its uid gives (never from its status, which is not the place
    /// to trust for where another job's report lies): `nil` when there is no baseline job or report (the diff is
    /// then left out), an error when the API or the object store cannot answer (the pass is retried).
    private func baselineReport(_ job: ScanJob) async throws -> Report? {
        guard let reference = job.spec.baselineRef else { return nil }
        let baseline: JSONValue
        do {
            baseline = try await client.get(.scanJob, namespace: job.metadata.namespace, name: reference.name)
        } catch let status as APIStatus where status.code == 404 {
            return nil
        }
        guard let uid = baseline[path: ["metadata", "uid"]]?.stringValue else { return nil }
        let key = try ObjectKeys.reportJSON(jobUID: uid)
        let data: Data
        do {
            data = try await objects.get(key)
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return nil
        }
        return try? Report.decode(from: data)
    }

    // MARK: Finished

    private func finished(_ context: JobContext) async throws -> ReconcileResult {
        try await runtime.deletePod(jobUID: context.uid)
        guard let ttl = context.job.spec.ttlSecondsAfterFinished,
            let finishedAt = context.status.completionTime.flatMap(Timestamp.date)
        else { return .done }
        let expiry = finishedAt.addingTimeInterval(Double(ttl))
        if now() >= expiry {
            try await client.delete(.scanJob, namespace: context.job.metadata.namespace, name: context.job.metadata.name ?? "")
            return .done
        }
        return .requeue(after: .milliseconds(Int64(expiry.timeIntervalSince(now()) * 1000) + 10))
    }
}
