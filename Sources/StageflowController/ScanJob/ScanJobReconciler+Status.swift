import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowRuntime

extension ScanJobReconciler {
    func stamp() -> String { Timestamp.string(now()) }

    func scanningSeconds(_ job: ScanJob) -> Int64 {
        job.spec.deadlines?.scanningSeconds ?? configuration.defaultScanningSeconds
    }

    /// Writes the status computed by `change` from the status read at the start of the pass, with
    /// compare-and-swap on the job's resourceVersion; a write that changes nothing is skipped. A pass that writes
    /// (`recovering`, every pass but the one recording a block) marks a blocked job as progressing again.
    func writeStatus(_ context: JobContext, recovering: Bool = true, _ change: (inout ScanJobStatus) -> Void) async throws
        -> ReconcileResult
    {
        var status = context.status
        if status.conditions == nil { status.conditions = [] }
        let wasBlocked = status.conditions?[type: "Progressing"]?.status == .false
        change(&status)
        if recovering, wasBlocked, status.conditions?[type: "Progressing"]?.status == .false,
            status.conditions?[type: "Progressing"] == context.status.conditions?[type: "Progressing"]
        {
            status.conditions.set(Condition(type: "Progressing", status: .true, reason: "Recovered", message: "progressing again"), now: stamp())
        }
        if let phase = status.phase, phase != context.status.phase {
            status.phaseTransitions = (status.phaseTransitions ?? []) + [PhaseTransition(phase: phase, time: Timestamp.microString(now()))]
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
        events?.warning(context.object, kind: .scanJob, reason: reason, message: message)
        // A failed job has not recovered: a block it had stays on record beside the failure.
        return try await writeStatus(context, recovering: false) { status in
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
            if context.status.phase == .extracting {
                status.conditions.set(Condition(type: "Extracted", status: .false, reason: reason, message: message), now: stamp())
            }
            if status.conditions?[type: "Scanning"]?.status == .true {
                status.conditions.set(Condition(type: "Scanning", status: .false, reason: reason, message: message), now: stamp())
            }
        }
    }

    /// The plan of a job: deterministic, so writing it again after a crash changes nothing. An archive job scans
    /// the site its archive container serves (every page of the archive, or a crawl from its root when the job
    /// crawls), and may reach that one origin whatever the private-targets policy; `nil` when that site is not
    /// being served.
    func makePlan(_ context: JobContext) async throws -> ScanPlan? {
        let spec = context.job.spec
        let planned = try spec.scanners.map { selection -> PlannedScanner in
            guard let manifest = scanners.spec(selection.name) else {
                throw TerminalError("no Scanner named \"\(selection.name)\" is registered")
            }
            guard let entry = runnableEntry(manifest) else {
                throw TerminalError(Self.notInstalled(manifest))
            }
            return PlannedScanner(
                id: manifest.id, version: manifest.version, entry: entry, config: selection.config,
                maxConcurrency: manifest.capabilities?.maxConcurrency ?? 1,
                timeoutSeconds: manifest.requirements?.timeoutSeconds,
                memoryMiB: selection.resources?.memoryMiB ?? manifest.requirements?.memoryMiB ?? configuration.defaultMemoryMiB,
                severityMapping: manifest.severityMapping, requiresBrowser: manifest.capabilities?.requiresBrowser)
        }
        var urls = spec.target.urls ?? []
        var allowedOrigins: [String]?
        if spec.target.archive != nil {
            guard let site = try await archiveSite(try ObjectKeys.archiveSite(jobUID: context.uid)), site.state == .serving,
                let origin = site.origin
            else { return nil }
            urls = spec.target.crawl != nil ? [origin + "/"] : site.pageURLs
            allowedOrigins = [origin]
        }
        return ScanPlan(
            job: PlannedJob(uid: context.uid, namespace: context.job.metadata.namespace ?? "default", name: context.job.metadata.name ?? ""),
            urls: urls, crawl: spec.target.crawl,
            allowPrivateTargets: allowsPrivateTargets(spec),
            scanners: planned, artifactsPrefix: try ObjectKeys.artifactsPrefix(jobUID: context.uid),
            allowedOrigins: allowedOrigins)
    }

    /// How a scanner runs here: a built-in as it says; an exec plugin only as installed with this controller
    /// (the Scanner's `entry.plugin`, or its own id when it was published with a command), never a command line
    /// read from the API. `nil` when the plugin is not installed here.
    func runnableEntry(_ manifest: ScannerSpec) -> ScannerEntry? {
        if manifest.entry.builtin != nil || manifest.entry.controller != nil { return manifest.entry }
        let id = manifest.entry.plugin ?? manifest.id
        guard let installed = configuration.installedEntries[id], installed.builtin != nil || installed.command != nil else {
            return nil
        }
        return installed
    }

    static func notInstalled(_ manifest: ScannerSpec) -> String {
        "Scanner \"\(manifest.id)\" runs the plugin \"\(manifest.entry.plugin ?? manifest.id)\", which is not installed where "
            + "this controller runs (plugin manifests are read from --plugin-dir, /plugins, ~/.stageflow/plugins and PLUGIN_PATHS)"
    }

    /// Whether a job may scan private addresses: it asks, and the server permits it.
    func allowsPrivateTargets(_ spec: ScanJobSpec) -> Bool {
        spec.allowPrivateTargets == true && configuration.allowPrivateTargets
    }

    /// Fails an archive job whose site is no longer described as served (its `site.json` removed or rewritten).
    func archiveSiteLost(_ context: JobContext) async throws -> ReconcileResult {
        try await fail(
            context, reason: "ExtractionFailed", message: "the extracted archive is not being served (artifacts/\(context.uid)/site.json)")
    }

    /// The pod of a job. One container per scanner, each running `stageflow scanner run` on the plan — except
    /// the built-in scanners that need a browser, which share one container (one browser, one load of each page)
    /// with the largest of their memory and time limits. An archive job's pod also runs, first, the archive
    /// container (`stageflow archive serve`), whose network the scanners join so they reach its loopback site;
    /// while the job is extracting (no plan yet) that is all the pod runs.
    func podSpec(_ context: JobContext, plan: ScanPlan?, planKey: String?) -> PodSpec {
        var containers: [ContainerSpec] = []
        let archive = context.job.spec.target.archive
        if let archive, let siteKey = try? ObjectKeys.archiveSite(jobUID: context.uid) {
            containers.append(
                ContainerSpec(
                    name: ScanPlan.archiveContainer,
                    command: configuration.scannerCommand + [
                        "archive", "serve", "--object-store", configuration.objectStoreLocation, "--archive", archive.objectKey,
                        "--site", siteKey,
                    ],
                    environment: configuration.scannerEnvironment,
                    memoryLimitBytes: configuration.archiveMemoryMiB * 1024 * 1024))
        }
        if let plan, let planKey {
            for container in plan.containers {
                containers.append(
                    ContainerSpec(
                        name: container.name,
                        command: configuration.scannerCommand + [
                            "scanner", "run", "--object-store", configuration.objectStoreLocation, "--plan", planKey,
                        ] + container.scanners.flatMap { ["--scanner", $0.id] },
                        environment: configuration.scannerEnvironment,
                        memoryLimitBytes: container.scanners.compactMap(\.memoryMiB).max().map { $0 * 1024 * 1024 },
                        timeoutSeconds: container.scanners.compactMap(\.timeoutSeconds).max(),
                        sharesNetworkWith: archive != nil ? ScanPlan.archiveContainer : nil))
            }
        }
        return PodSpec(
            jobUID: context.uid, displayName: context.displayName, containers: containers,
            hostNetwork: allowsPrivateTargets(context.job.spec),
            labels: [
                "stageflow.dev/namespace": context.job.metadata.namespace ?? "default", "stageflow.dev/name": context.job.metadata.name ?? "",
            ].merging(configuration.installation.map { [PodSpec.installationLabel: $0] } ?? [:]) { current, _ in current })
    }
}

extension ScanJobReconciler {
    /// The headline numbers of a report for `status.summary`: the score (absent when nothing could be
    /// scored) and whether it is partial, each category's score or why it has none, issues (one per rule per
    /// page), their elements, items that need review, and the baseline diff.
    static func statusSummary(of report: Report) -> ScanSummary {
        let summary = report.summary
        var categories: [String: ScanCategorySummary] = [:]
        for category in summary.categories {
            categories[category.id.rawValue] = ScanCategorySummary(
                score: category.score, grade: category.grade, status: category.status.rawValue, reason: category.reason)
        }
        return ScanSummary(
            score: summary.score, grade: summary.grade, partial: summary.partial, scoreNote: summary.scoreNote,
            categories: categories.isEmpty ? nil : categories, totalIssues: Int64(summary.totalIssues),
            occurrences: Int64(summary.occurrences), needsReview: Int64(summary.needsReview),
            bySeverity: summary.bySeverity.dictionary.mapValues { Int64($0) },
            newSinceBaseline: report.diff.map { Int64($0.counts.newIssues) },
            fixedSinceBaseline: report.diff.map { Int64($0.counts.fixed) })
    }

    /// The report as `report.html`: the one HTML rendering, with the page screenshots read from the object
    /// store and embedded (up to ``ReportScreenshots/defaultBudgetBytes``).
    func reportHTML(_ report: Report) async -> Data {
        let screenshots = await ReportScreenshots.gather(for: report) { key in try await objects.get(key) }
        if !screenshots.missing.isEmpty {
            logger.info("report \(report.meta.jobId): \(screenshots.missing.count) screenshot(s) could not be read")
        }
        return Data(HTMLReportRenderer(options: screenshots.options()).render(report).utf8)
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
