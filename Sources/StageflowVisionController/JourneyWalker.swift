import Foundation
import Logging
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowScanner
import StageflowVision

/// Walks one journey for the vision controller and stores what it gives: step screenshots as it goes,
/// `progress.json` after every step, and `results.json` last (the manifest's severity mapping applied, timings set),
/// so the ScanJob controller never reads results whose evidence is missing. A journey stopped by cancellation writes
/// no results; one whose browser stopped gets failed results saying so.
struct JourneyWalker: Sendable {
    let objects: any ObjectStore
    let browsers: BrowserSupply
    let model: any ModelClient
    let ledger: SpendLedger
    let configuration: VisionControllerConfiguration
    let logger: Logger

    func walk(
        plan: ScanPlan, planned: PlannedScanner, attempt: Int, interruptions: [String], started: Date,
        deadline: ContinuousClock.Instant?, prefix: String
    ) async {
        let maxSteps = (try? JourneyConfiguration.decode(planned.config))?.maxSteps ?? JourneyConfiguration.defaultMaxSteps
        let identity = configuration.identity
        let objects = self.objects
        let logger = self.logger
        do {
            let evidence = try EvidenceWriter(store: objects, jobUID: plan.job.uid, scanner: planned.id)
            let (browser, generation) = try await browsers.browser()
            let runner = JourneyRunner(
                browser: browser, model: model, endpoint: configuration.endpoint, ledger: ledger,
                credentials: CredentialStore(directory: configuration.secretsDirectory), settings: configuration.journeySettings,
                logger: logger)
            let request = JourneyRequest(
                plan: plan, scanner: planned, evidence: evidence, attempt: attempt, deadline: deadline,
                progress: { progress in
                    var progress = progress
                    progress.maxSteps = maxSteps
                    progress.controller = identity
                    progress.interruptions = interruptions.isEmpty ? nil : interruptions
                    progress.startedAt = Timestamp.string(started)
                    do {
                        try await Self.put(progress, key: prefix + "progress.json", objects: objects)
                    } catch {
                        logger.warning("cannot write \(prefix)progress.json: \(error)")
                    }
                })
            var results: ScannerResults
            do {
                results = try await runner.run(request)
            } catch let error as BrowserError {
                await browsers.discard(generation: generation)
                results = .failed(scanner: planned.id, error: "\(error)")
            }
            try Task.checkCancellation()
            results.scanner = planned.id
            results.findings = SeverityMapping(planned.severityMapping).apply(to: results.findings)
            let finished = Date()
            results.timings = ScannerTimings(
                startedAt: Timestamp.string(started), finishedAt: Timestamp.string(finished),
                durationMs: Int64(finished.timeIntervalSince(started) * 1000))
            if !interruptions.isEmpty {
                let note = "started over: " + interruptions.joined(separator: "; ")
                results.error = results.error.map { "\($0) (\(note))" } ?? note
            }
            try await writeResults(results, prefix: prefix)
            var progress = JourneyProgress(
                attempt: attempt, state: "finished", step: results.journey?.steps.count ?? 0, maxSteps: maxSteps,
                url: results.journey?.steps.last?.url, costUSD: results.journey?.totals.costUSD ?? 0,
                startedAt: Timestamp.string(started), controller: identity)
            progress.interruptions = interruptions.isEmpty ? nil : interruptions
            try await Self.put(progress, key: prefix + "progress.json", objects: objects)
            logger.info("\(plan.job.namespace)/\(plan.job.name): \(planned.id) \(results.status.rawValue) → \(prefix)results.json")
        } catch is CancellationError {
            logger.info("\(plan.job.namespace)/\(plan.job.name): \(planned.id) stopped before its end; no results written")
        } catch {
            if Task.isCancelled { return }
            logger.error("\(plan.job.namespace)/\(plan.job.name): \(planned.id) could not be walked: \(error)")
            var results = ScannerResults.failed(scanner: planned.id, error: "the journey could not be walked: \(error)")
            results.timings = ScannerTimings(startedAt: Timestamp.string(started), finishedAt: Timestamp.string(Date()))
            try? await writeResults(results, prefix: prefix)
        }
    }

    /// Writes `results.json` (the object store replaces objects atomically).
    func writeResults(_ results: ScannerResults, prefix: String) async throws {
        try await Self.put(results, key: prefix + "results.json", objects: objects)
    }

    /// Writes `progress.json`.
    func writeProgress(_ progress: JourneyProgress, prefix: String) async throws {
        try await Self.put(progress, key: prefix + "progress.json", objects: objects)
    }

    private static func put<Value: Encodable>(_ value: Value, key: String, objects: any ObjectStore) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try await objects.put(key, data: try encoder.encode(value), contentType: "application/json")
    }
}
