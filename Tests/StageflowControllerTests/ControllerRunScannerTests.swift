import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowObjectStore
import StageflowReport
import StageflowRuntime
import StageflowStore
import Testing

/// Scanners a long-lived controller runs itself (`entry.controller`, the vision agent): the ScanJob controller starts
/// no container for them, waits for the results that controller writes (showing its progress meanwhile), and skips
/// them, saying what to configure, when no such controller holds its lease.
@Suite("Controller-run scanners")
struct ControllerRunScannerTests {
    final class Harness: @unchecked Sendable {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil, pollInterval: .milliseconds(50)))
        let runtime = ScriptedRuntime()
        let objects = MemoryObjectStore()
        var task: Task<Void, Never>?

        func start(visionRunning: Bool) async throws {
            try await store.start()
            for (id, entry) in [("seo", ScannerEntry(builtin: "seo")), ("ai-navigator", ScannerEntry(controller: "vision"))] {
                _ = try await store.create(.scanner, try JSONValue(encoding: Scanner(
                    metadata: ObjectMeta(name: id), spec: ScannerSpec(id: id, version: "1.0.0", entry: entry))))
            }
            if visionRunning {
                // Held for the whole test however slow the machine: the test is about the scanner, not the lease.
                let now = Timestamp.microString(Date())
                let lease: JSONValue = [
                    "apiVersion": .string(ResourceKind.lease.apiVersion), "kind": "Lease",
                    "metadata": ["name": "stageflow-vision", "namespace": "stageflow-system"],
                    "spec": ["holderIdentity": "vision-1", "leaseDurationSeconds": 3600, "acquireTime": .string(now), "renewTime": .string(now)],
                ]
                _ = try await store.create(.lease, lease)
            }
            var configuration = ScanJobReconcilerConfiguration(scannerCommand: ["/usr/bin/stageflow"], objectStoreLocation: "/data/objects")
            configuration.pollInterval = .milliseconds(50)
            let client = StoreResourceClient(store: store)
            let informers = InformerSet(client: client, logger: Logger(label: "test"))
            let controller = ScanJobController(
                informers: informers, client: client, runtime: runtime, objects: objects, configuration: configuration,
                logger: Logger(label: "test"))
            task = Task {
                await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await informers.run() }
                    group.addTask { try await controller.run() }
                    try? await group.waitForAll()
                }
            }
        }

        func stop() async {
            task?.cancel()
            await store.shutdown()
        }

        func create(_ name: String, scanners: [String]) async throws -> String {
            let spec = ScanJobSpec(
                target: ScanTarget(urls: ["https://example.com/"]),
                scanners: scanners.map { ScannerSelection(name: $0, config: $0 == "ai-navigator" ? ["goal": "buy"] : nil) })
            let created = try await store.create(.scanJob, try JSONValue(encoding: ScanJob(metadata: ObjectMeta(name: name, namespace: "default"), spec: spec)))
            return created[path: ["metadata", "uid"]]!.stringValue!
        }

        func job(_ name: String) async throws -> ScanJob? {
            try? await store.get(.scanJob, namespace: "default", name: name).decode(as: ScanJob.self)
        }

        func waitFor(_ name: String, _ condition: (ScanJob?) -> Bool) async throws -> ScanJob? {
            for _ in 0..<400 {
                let current = try await job(name)
                if condition(current) { return current }
                try await Task.sleep(for: .milliseconds(25))
            }
            return try await job(name)
        }

        func put(_ uid: String, _ scanner: String, _ file: String, _ value: some Encodable) async throws {
            try await objects.put("artifacts/\(uid)/\(scanner)/\(file)", data: try JSONEncoder().encode(value), contentType: "application/json")
        }
    }

    static func scanner(_ job: ScanJob?, _ name: String) -> ScanJobScannerStatus? {
        job?.status?.scanners?.first { $0.name == name }
    }

    @Test("ai-navigator gets no container; its progress shows while it runs; its results complete the job with the others'")
    func observed() async throws {
        let harness = Harness()
        try await harness.start(visionRunning: true)
        let uid = try await harness.create("journey", scanners: ["seo", "ai-navigator"])
        _ = try await harness.waitFor("journey") { $0?.status?.phase == .scanning }
        let spec = try #require(harness.runtime.spec(uid))
        #expect(spec.containers.map(\.name) == ["seo"], "no container for the controller-run scanner")
        let plan = try JSONDecoder().decode(ScanPlan.self, from: try await harness.objects.get("artifacts/\(uid)/plan.json"))
        #expect(plan.scanner("ai-navigator")?.entry.controller == "vision")
        #expect(plan.scanner("ai-navigator")?.config?["goal"] == "buy")

        let progress: JSONValue = ["attempt": 1, "state": "running", "step": 3, "maxSteps": 15]
        try await harness.put(uid, "ai-navigator", "progress.json", progress)
        let running = try await harness.waitFor("journey") { Self.scanner($0, "ai-navigator")?.state == "Running" }
        #expect(Self.scanner(running, "ai-navigator")?.message == "attempt 1: step 3 of at most 15")

        try await harness.put(uid, "seo", "results.json", ScannerResults(scanner: "seo", pages: [ScannedPage(url: "https://example.com/")]))
        harness.runtime.finish(uid, "seo", code: 0)
        var journey = ScannerResults(
            scanner: "ai-navigator", pages: [ScannedPage(url: "https://example.com/")],
            findings: [ScannerFinding(
                ruleId: "dead-control", title: "dead", message: "nothing happens", severity: .serious, url: "https://example.com/",
                selector: "role=button[name=\"Continue\"]")])
        journey.journey = JourneyRecord(
            scanner: "ai-navigator", goal: "buy", startURL: "https://example.com/",
            outcome: JourneyOutcome(reached: false, reason: .deadControl, message: "nothing happens", step: 1))
        journey.timings = ScannerTimings(startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:09Z", durationMs: 9000)
        try await harness.put(uid, "ai-navigator", "results.json", journey)
        let done = try await harness.waitFor("journey") { $0?.status?.phase == .done }
        #expect(done?.status?.phase == .done)
        #expect(Self.scanner(done, "ai-navigator")?.state == "Succeeded")
        #expect(Self.scanner(done, "ai-navigator")?.findings == 1)
        let report = try Report.decode(from: try await harness.objects.get("artifacts/\(uid)/report.json"))
        #expect(report.journeys?.first?.outcome.reason == .deadControl)
        #expect(report.issues.contains { $0.scanner == "ai-navigator" && $0.ruleId == "dead-control" })
        await harness.stop()
    }

    @Test("without a vision controller holding its lease, ai-navigator is skipped with what to configure, and the job is Done")
    func skipped() async throws {
        let harness = Harness()
        try await harness.start(visionRunning: false)
        let uid = try await harness.create("nomodel", scanners: ["seo", "ai-navigator"])
        _ = try await harness.waitFor("nomodel") { $0?.status?.phase == .scanning }
        try await harness.put(uid, "seo", "results.json", ScannerResults(scanner: "seo", pages: [ScannedPage(url: "https://example.com/")]))
        harness.runtime.finish(uid, "seo", code: 0)
        let done = try await harness.waitFor("nomodel") { $0?.status?.phase == .done }
        let status = try #require(Self.scanner(done, "ai-navigator"))
        #expect(status.state == "Skipped")
        #expect(status.message?.contains("--vision-model") == true)
        let report = try Report.decode(from: try await harness.objects.get("artifacts/\(uid)/report.json"))
        #expect(report.scanners.first { $0.id == "ai-navigator" }?.status == .skipped)
        await harness.stop()
    }

    @Test("a job with only ai-navigator gets no pod at all, and fails like any job when its results say it failed")
    func onlyJourney() async throws {
        let harness = Harness()
        try await harness.start(visionRunning: true)
        let uid = try await harness.create("alone", scanners: ["ai-navigator"])
        _ = try await harness.waitFor("alone") { $0?.status?.phase == .scanning }
        #expect(!harness.runtime.hasPod(uid))
        try await harness.put(uid, "ai-navigator", "results.json", ScannerResults.failed(scanner: "ai-navigator", error: "out of credits: 402"))
        let finished = try await harness.waitFor("alone") { $0?.status?.phase == .failed }
        #expect(finished?.status?.phase == .failed)
        #expect(Self.scanner(finished, "ai-navigator")?.message == "out of credits: 402")
        #expect(!harness.runtime.hasPod(uid))
        await harness.stop()
    }
}
