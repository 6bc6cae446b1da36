import Foundation
import Logging
import StageflowAPI
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
        let plan = try await loadPlan(objectStore, key: planKey)
        guard let planned = plan.scanner(scannerID) else {
            let known = plan.scanners.map(\.id).joined(separator: ", ")
            throw ScannerRunError(
                .badInput, "the plan \(planKey) has no scanner \"\(scannerID)\" (it plans: \(known.isEmpty ? "none" : known))")
        }
        let resultsKey: String
        let evidence: EvidenceWriter
        do {
            resultsKey = try ObjectKeys.scannerResults(jobUID: plan.job.uid, scanner: scannerID)
            evidence = try EvidenceWriter(store: objectStore, jobUID: plan.job.uid, scanner: scannerID)
        } catch let error as ObjectStoreError {
            throw ScannerRunError(.badInput, "the plan \(planKey) cannot be used: \(error.message)")
        }
        let implementation = try resolve(planned)

        let startedAt = Date()
        let start = ContinuousClock.now
        let budget = planned.timeoutSeconds ?? configuration.defaultTimeoutSeconds
        let (soft, hard) = Self.deadlines(budgetSeconds: budget, from: start)
        logger.info("scanner \(scannerID) starting on \(plan.urls.count) URL(s), budget \(budget) s")

        var results: ScannerResults
        switch implementation {
        case .builtin(let scanner):
            let fetcher = PageFetcher(
                policy: configuration.fetchPolicy, userAgent: configuration.userAgent,
                useEnvironmentProxy: configuration.useEnvironmentProxy)
            let context = ScanContext(
                plan: plan, scanner: planned, fetcher: fetcher, evidence: evidence, deadline: soft, logger: logger)
            do {
                results = try await Self.withHardDeadline(hard, budget: budget, scannerID: scannerID) {
                    try await scanner.scan(context)
                }
            } catch let error as ObjectStoreError {
                throw ScannerRunError(.objectStore, "cannot store evidence of scanner \"\(scannerID)\": \(error)")
            }
            results.toolVersion = results.toolVersion ?? scanner.toolVersion
        case .command(let command):
            let plugin = ExecPluginRunner(
                command: command, plan: plan, scanner: planned, evidence: evidence, environment: configuration.pluginEnvironment, temporaryDirectory: configuration.temporaryDirectory,
                logger: logger)
            results = try await plugin.run(deadline: hard)
        }

        let finishedAt = Date()
        results.scanner = scannerID
        results.findings = SeverityMapping(planned.severityMapping).apply(to: results.findings)
        results.timings = ScannerTimings(
            startedAt: Timestamp.rfc3339(startedAt), finishedAt: Timestamp.rfc3339(finishedAt),
            durationMs: Int64(finishedAt.timeIntervalSince(startedAt) * 1000))
        try await write(results, to: resultsKey, store: objectStore)
        logger.info(
            "scanner \(scannerID) \(results.status.rawValue): \(results.pages.count) page(s), \(results.findings.count) finding(s) → \(resultsKey)")
        return results
    }

    /// How the plan says to run a scanner.
    enum Implementation {
        case builtin(any BuiltinScanner)
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
    static func withHardDeadline(
        _ deadline: ContinuousClock.Instant, budget: Int64, scannerID: String,
        _ body: @escaping @Sendable () async throws -> ScannerResults
    ) async throws -> ScannerResults {
        try await withThrowingTaskGroup(of: ScannerResults?.self) { group in
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
