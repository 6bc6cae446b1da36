import Foundation
import Logging
import StageflowAPI
import StageflowIntake
import StageflowObjectStore
import StageflowReport

/// `stageflow scanner run`: reads the scan plan from the object store, runs one scanner of it (a built-in by
/// name, or an exec plugin's command) within its time budget, maps raw severities through the manifest,
/// writes the evidence and then `artifacts/<job-uid>/<scanner>/results.json`, and returns the results.
///
/// Failures of single pages are page errors in the results; only what makes the run meaningless throws a
/// `ScannerRunError` (a missing or undecodable plan, an unknown scanner, an unreachable object store).
public struct ScannerRunner: Sendable {
    /// Target access and time budget.
    public let configuration: Configuration
    /// The built-in scanners.
    public let registry: BuiltinScannerRegistry
    private let logger: Logger

    /// A runner.
    public init(
        configuration: Configuration = Configuration(), registry: BuiltinScannerRegistry = .standard,
        logger: Logger = Logger(label: "stageflow.scanner")
    ) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
    }

    /// Runs scanner `scannerID` of the plan stored under `planKey`, writes its results and returns them.
    public func run(objectStore: any ObjectStore, planKey: String, scannerID: String) async throws -> ScannerResults {
        try await run(objectStore: objectStore, planKey: planKey, scannerIDs: [scannerID])[0]
    }

    /// Runs scanners of the plan stored under `planKey` in one process, writes each one's results and returns
    /// them in the order asked. Page scanners among them share one browser and one load of each page; the
    /// others run beside them.
    public func run(objectStore: any ObjectStore, planKey: String, scannerIDs: [String]) async throws -> [ScannerResults] {
        guard !scannerIDs.isEmpty else { throw ScannerRunError(.badInput, "no scanner to run") }
        let plan = try await loadPlan(objectStore, key: planKey)
        var jobs: [Job] = []
        for scannerID in scannerIDs {
            guard let planned = plan.scanner(scannerID) else {
                let known = plan.scanners.map(\.id).joined(separator: ", ")
                throw ScannerRunError(
                    .badInput, "the plan \(planKey) has no scanner \"\(scannerID)\" (it plans: \(known.isEmpty ? "none" : known))")
            }
            do {
                jobs.append(
                    Job(
                        planned: planned, implementation: try resolve(planned),
                        resultsKey: try ObjectKeys.scannerResults(jobUID: plan.job.uid, scanner: scannerID),
                        evidence: try EvidenceWriter(store: objectStore, jobUID: plan.job.uid, scanner: scannerID)))
            } catch let error as ObjectStoreError {
                throw ScannerRunError(.badInput, "the plan \(planKey) cannot be used: \(error.message)")
            }
        }
        let policy = configuration.fetchPolicy ?? Self.targetPolicy(of: plan)
        let fetcher = PageFetcher(
            policy: policy, userAgent: configuration.userAgent,
            useEnvironmentProxy: configuration.useEnvironmentProxy)
        let startedAt = Date()
        let start = ContinuousClock.now
        let pageJobs = jobs.filter { if case .page = $0.implementation { return true } else { return false } }
        let otherJobs = jobs.filter { if case .page = $0.implementation { return false } else { return true } }

        // Each scanner's finish time is when its own task ended, not when the slowest one did.
        var results: [String: (output: ScannerResults, finishedAt: Date)] = [:]
        try await withThrowingTaskGroup(of: [(String, ScannerResults, Date)].self) { group in
            if !pageJobs.isEmpty {
                group.addTask {
                    let outputs = try await runPageScanners(pageJobs, plan: plan, fetcher: fetcher, start: start)
                    let finishedAt = Date()
                    return zip(pageJobs.map(\.planned.id), outputs).map { ($0, $1, finishedAt) }
                }
            }
            for job in otherJobs {
                group.addTask {
                    let output = try await runAlone(job, plan: plan, fetcher: fetcher, start: start)
                    return [(job.planned.id, output, Date())]
                }
            }
            for try await outputs in group {
                for (id, output, finishedAt) in outputs { results[id] = (output, finishedAt) }
            }
        }

        var written: [ScannerResults] = []
        for job in jobs {
            let finished = results[job.planned.id]
            var output = finished?.output ?? .failed(scanner: job.planned.id, error: "not run")
            let finishedAt = finished?.finishedAt ?? Date()
            output.scanner = job.planned.id
            output.findings = SeverityMapping(job.planned.severityMapping).apply(to: output.findings)
            output.timings = ScannerTimings(
                startedAt: Timestamp.rfc3339(startedAt), finishedAt: Timestamp.rfc3339(finishedAt),
                durationMs: Int64(finishedAt.timeIntervalSince(startedAt) * 1000))
            try await write(output, to: job.resultsKey, store: objectStore)
            logger.info(
                "scanner \(job.planned.id) \(output.status.rawValue): \(output.pages.count) page(s), \(output.findings.count) finding(s) → \(job.resultsKey)")
            written.append(output)
        }
        return written
    }

    /// The target policy a plan asks for: private addresses only when the job may reach them (the controller
    /// has already combined the job's wish with the server's permission), and the origins the plan itself
    /// serves (an extracted archive's site) always.
    public static func targetPolicy(of plan: ScanPlan) -> any FetchPolicy {
        let origins = Set((plan.allowedOrigins ?? []).compactMap { try? TargetOrigin($0) })
        return TargetFetchPolicy(policy: TargetURLPolicy(allowPrivateTargets: plan.allowPrivateTargets, allowedOrigins: origins))
    }

    /// The egress policy of a plan's browser: the connect-time form of its target policy (the allowed origins
    /// as endpoints).
    public static func egressPolicy(of plan: ScanPlan) -> EgressPolicy {
        let origins = Set((plan.allowedOrigins ?? []).compactMap { try? TargetOrigin($0) })
        return EgressPolicy(
            addresses: TargetURLPolicy(allowPrivateTargets: plan.allowPrivateTargets, allowedOrigins: origins).addressPolicy)
    }

    /// One scanner to run, resolved.
    struct Job: Sendable {
        let planned: PlannedScanner
        let implementation: Implementation
        let resultsKey: String
        let evidence: EvidenceWriter
    }

    private func budgetSeconds(of planned: PlannedScanner) -> Int64 {
        planned.timeoutSeconds ?? configuration.defaultTimeoutSeconds
    }

    /// A whole-run built-in or an exec plugin.
    private func runAlone(_ job: Job, plan: ScanPlan, fetcher: PageFetcher, start: ContinuousClock.Instant) async throws -> ScannerResults {
        let scannerID = job.planned.id
        let budget = budgetSeconds(of: job.planned)
        let (soft, hard) = Self.deadlines(budgetSeconds: budget, from: start)
        logger.info("scanner \(scannerID) starting on \(plan.urls.count) URL(s), budget \(budget) s")
        switch job.implementation {
        case .builtin(let scanner):
            let context = ScanContext(
                plan: plan, scanner: job.planned, fetcher: fetcher, evidence: job.evidence, deadline: soft, logger: logger)
            do {
                var results = try await Self.withHardDeadline(hard, budget: budget, scannerID: scannerID) {
                    try await scanner.scan(context)
                }
                results.toolVersion = results.toolVersion ?? scanner.toolVersion
                return results
            } catch let error as ObjectStoreError {
                throw ScannerRunError(.objectStore, "cannot store evidence of scanner \"\(scannerID)\": \(error)")
            }
        case .command(let command):
            let plugin = ExecPluginRunner(
                command: command, plan: plan, scanner: job.planned, evidence: job.evidence,
                environment: configuration.pluginEnvironment, temporaryDirectory: configuration.temporaryDirectory,
                logger: logger)
            return try await plugin.run(deadline: hard)
        case .page:
            return try await runPageScanners([job], plan: plan, fetcher: fetcher, start: start)[0]
        }
    }

    /// Page scanners together, over one load of each page, within the largest of their budgets.
    private func runPageScanners(
        _ jobs: [Job], plan: ScanPlan, fetcher: PageFetcher, start: ContinuousClock.Instant
    ) async throws -> [ScannerResults] {
        let budget = jobs.map { budgetSeconds(of: $0.planned) }.max() ?? configuration.defaultTimeoutSeconds
        let (soft, hard) = Self.deadlines(budgetSeconds: budget, from: start)
        let ids = jobs.map(\.planned.id).joined(separator: ", ")
        logger.info("page scanners \(ids) starting on \(plan.urls.count) URL(s), budget \(budget) s")
        let members = jobs.compactMap { job -> PageScanRun.Member? in
            guard case .page(let scanner) = job.implementation else { return nil }
            return PageScanRun.Member(planned: job.planned, scanner: scanner, evidence: job.evidence)
        }
        let run = PageScanRun(
            plan: plan, members: members, fetcher: fetcher, policy: fetcher.policy, configuration: configuration, deadline: soft,
            logger: logger)
        do {
            return try await Self.withHardDeadline(hard, budget: budget, scannerID: ids) { try await run.run() }
        } catch let error as ObjectStoreError {
            throw ScannerRunError(.objectStore, "cannot store evidence of scanners \(ids): \(error)")
        }
    }

    /// How the plan says to run a scanner.
    enum Implementation: Sendable {
        case builtin(any BuiltinScanner)
        case page(any PageScanner)
        case command([String])
    }

    func resolve(_ planned: PlannedScanner) throws -> Implementation {
        if let command = planned.entry.command {
            guard let executable = command.first, !executable.isEmpty else {
                throw ScannerRunError(.badInput, "scanner \"\(planned.id)\" has an empty entry.command")
            }
            return .command(command)
        }
        let name = planned.entry.builtin ?? planned.id
        if let scanner = registry.pageScanner(name) { return .page(scanner) }
        guard let scanner = registry.scanner(name) else {
            throw ScannerRunError(
                .badInput,
                "unknown built-in scanner \"\(name)\" for scanner \"\(planned.id)\" (built-ins: \(registry.ids.joined(separator: ", ")))")
        }
        return .builtin(scanner)
    }

    private func loadPlan(_ store: any ObjectStore, key: String) async throws -> ScanPlan {
        let data: Data
        do {
            data = try await store.get(key)
        } catch let error as ObjectStoreError {
            switch error.kind {
            case .notFound: throw ScannerRunError(.badInput, "no scan plan at \(key) in \(error.store)")
            case .invalidKey: throw ScannerRunError(.badInput, "--plan \(key) is not a valid object key: \(error.message)")
            default: throw ScannerRunError(.objectStore, "cannot read the scan plan \(key): \(error)")
            }
        } catch {
            throw ScannerRunError(.objectStore, "cannot read the scan plan \(key): \(error)")
        }
        let plan: ScanPlan
        do {
            plan = try JSONDecoder().decode(ScanPlan.self, from: data)
        } catch let error as DecodingError {
            throw ScannerRunError(.badInput, "\(key) is not a valid scan plan: \(DecodingErrorText.describe(error))")
        }
        guard plan.version <= 1 else {
            throw ScannerRunError(
                .badInput, "\(key) has plan format version \(plan.version); this runner understands version 1")
        }
        return plan
    }

    private func write(_ results: ScannerResults, to key: String, store: any ObjectStore) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try await store.put(key, data: try encoder.encode(results), contentType: "application/json")
        } catch {
            throw ScannerRunError(.objectStore, "cannot write \(key): \(error)")
        }
    }

    /// Runs `body`, abandoning it (and failing the run) if it has not returned by `deadline`.
    static func withHardDeadline<Output: Sendable>(
        _ deadline: ContinuousClock.Instant, budget: Int64, scannerID: String,
        _ body: @escaping @Sendable () async throws -> Output
    ) async throws -> Output {
        try await withThrowingTaskGroup(of: Output?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let results = first else {
                throw ScannerRunError(
                    .scannerFailed, "scanner \"\(scannerID)\" did not finish within its time budget of \(budget) s")
            }
            return results
        }
    }
}
