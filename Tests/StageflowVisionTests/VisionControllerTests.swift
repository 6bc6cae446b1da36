import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowObjectStore
import StageflowReport
import StageflowScanner
import StageflowStore
import StageflowVisionController
import Testing

@testable import StageflowVision

/// The vision controller over an in-memory store and object store, with the in-memory site and a scripted model:
/// which jobs it walks, what it writes, how it starts over after an interruption, and that it never writes the job.
@Suite("Vision controller")
struct VisionControllerTests {
    final class Harness: @unchecked Sendable {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil, pollInterval: .milliseconds(50)))
        let objects = MemoryObjectStore()
        var task: Task<Void, Never>?

        func start(model: any ModelClient) async throws {
            try await store.start()
            var spec = ScannerSpec(id: "ai-navigator", version: "1.0.0", entry: ScannerEntry(controller: "vision"))
            spec.severityMapping = ["dead-control": .critical]
            _ = try await store.create(.scanner, try JSONValue(encoding: Scanner(metadata: ObjectMeta(name: "ai-navigator"), spec: spec)))
            let configuration = VisionControllerConfiguration(
                endpoint: ModelEndpoint(model: "test-model"),
                journeySettings: JourneyRunner.Settings(egressPolicy: { _ in nil }), pollInterval: .milliseconds(100),
                identity: "vision-test")
            let controller = VisionController(
                client: StoreResourceClient(store: store), objects: objects, configuration: configuration,
                launchBrowser: { MemorySite.browser(MemorySite.shop) }, model: model, logger: Logger(label: "test"))
            task = Task { await controller.runTerm() }
        }

        func stop() async {
            task?.cancel()
            await store.shutdown()
        }

        /// A job in Scanning with its plan stored, as the ScanJob controller leaves it.
        func scanningJob(_ name: String, config: JSONValue) async throws -> String {
            let spec = ScanJobSpec(
                target: ScanTarget(urls: [MemorySite.base + "/"]), scanners: [ScannerSelection(name: "ai-navigator", config: config)])
            var created = try await store.create(.scanJob, try JSONValue(encoding: ScanJob(metadata: ObjectMeta(name: name, namespace: "default"), spec: spec)))
            let uid = created[path: ["metadata", "uid"]]!.stringValue!
            var status = ScanJobStatus()
            status.phase = .scanning
            status.startTime = Timestamp.now()
            status.scanners = [ScanJobScannerStatus(name: "ai-navigator", state: "Pending")]
            created["status"] = try JSONValue(encoding: status)
            _ = try await store.update(.scanJob, created, subresource: .status)
            let planned = PlannedScanner(
                id: "ai-navigator", version: "1.0.0", entry: ScannerEntry(controller: "vision"), config: config, maxConcurrency: 1,
                timeoutSeconds: nil, memoryMiB: nil, severityMapping: ["dead-control": .critical])
            let plan = ScanPlan(
                job: PlannedJob(uid: uid, namespace: "default", name: name), urls: [MemorySite.base + "/"], crawl: nil,
                allowPrivateTargets: false, scanners: [planned], artifactsPrefix: "artifacts/\(uid)/")
            try await objects.put("artifacts/\(uid)/plan.json", data: try JSONEncoder().encode(plan), contentType: "application/json")
            return uid
        }

        func setPhase(_ name: String, _ phase: ScanJobPhase) async throws {
            var object = try await store.get(.scanJob, namespace: "default", name: name)
            object["status"]?["phase"] = .string(phase.rawValue)
            _ = try await store.update(.scanJob, object, subresource: .status)
        }

        func results(_ uid: String) async throws -> ScannerResults? {
            for _ in 0..<400 {
                if let data = try? await objects.get("artifacts/\(uid)/ai-navigator/results.json") {
                    return try JSONDecoder().decode(ScannerResults.self, from: data)
                }
                try await Task.sleep(for: .milliseconds(25))
            }
            return nil
        }

        func progress(_ uid: String) async throws -> JourneyProgress? {
            guard let data = try? await objects.get("artifacts/\(uid)/ai-navigator/progress.json") else { return nil }
            return try JSONDecoder().decode(JourneyProgress.self, from: data)
        }
    }

    /// A model that never answers until cancelled, noting the cancellation.
    final class StallingModel: ModelClient, @unchecked Sendable {
        private let lock = NSLock()
        private var cancelled = false
        private var asked = 0
        var wasCancelled: Bool { lock.withLock { cancelled } }
        var requests: Int { lock.withLock { asked } }

        func complete(_ request: ChatRequest) async throws -> ModelReply {
            lock.withLock { asked += 1 }
            do {
                try await Task.sleep(for: .seconds(600))
            } catch {
                lock.withLock { cancelled = true }
                throw error
            }
            throw ModelError(.unavailable, message: "never")
        }
    }

    static func waitUntil(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<400 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }

    @Test("a Scanning job selecting ai-navigator gets its journey walked: results.json with the journey, the manifest's mapping applied, the job untouched")
    func walks() async throws {
        let harness = Harness()
        let model = ScriptedModel(actions: [["type": "click", "index": 2], ["type": "click", "index": 1], ["type": "click", "index": 1]])
        try await harness.start(model: model)
        let uid = try await harness.scanningJob("checkout", config: ["goal": "check out", "accessibility": false])
        let before = try await harness.store.get(.scanJob, namespace: "default", name: "checkout")[path: ["metadata", "resourceVersion"]]
        let results = try #require(try await harness.results(uid))
        #expect(results.scanner == "ai-navigator")
        #expect(results.journey?.outcome.reason == .deadControl)
        #expect(results.findings.first { $0.ruleId == "dead-control" }?.severity == .critical, "the manifest's severity mapping applies")
        #expect(results.timings?.startedAt != nil && results.timings?.finishedAt != nil)
        #expect(try await Self.waitUntil { try await harness.progress(uid)?.state == "finished" })
        #expect(try await harness.progress(uid)?.attempt == 1)
        let after = try await harness.store.get(.scanJob, namespace: "default", name: "checkout")[path: ["metadata", "resourceVersion"]]
        #expect(before == after, "the vision controller never writes the job")
        await harness.stop()
    }

    @Test("a journey cut off mid-way (progress.json of a running attempt 1) is started over once, as attempt 2, and says so")
    func startsOver() async throws {
        let harness = Harness()
        try await harness.start(model: ScriptedModel(actions: [["type": "done", "success": false, "summary": "nothing here"]]))
        let uid = try await harness.scanningJob("restart", config: ["goal": "find it", "accessibility": false])
        let earlier = JourneyProgress(attempt: 1, step: 3, maxSteps: 15, startedAt: Timestamp.now(), controller: "vision-killed")
        try await harness.objects.put("artifacts/\(uid)/ai-navigator/progress.json", data: try JSONEncoder().encode(earlier), contentType: "application/json")
        let results = try #require(try await harness.results(uid))
        #expect(results.journey?.attempt == 2)
        #expect(results.error?.contains("attempt 1 was cut off at step 3") == true)
        await harness.stop()
    }

    @Test("a journey cut off twice is not started a third time: failed results say why")
    func notThrice() async throws {
        let harness = Harness()
        let model = ScriptedModel([])
        try await harness.start(model: model)
        let uid = try await harness.scanningJob("twice", config: ["goal": "find it"])
        let earlier = JourneyProgress(attempt: 2, step: 1, maxSteps: 15, startedAt: Timestamp.now(), interruptions: ["attempt 1 was cut off at step 2"])
        try await harness.objects.put("artifacts/\(uid)/ai-navigator/progress.json", data: try JSONEncoder().encode(earlier), contentType: "application/json")
        let results = try #require(try await harness.results(uid))
        #expect(results.status == .failed)
        #expect(results.error?.contains("cut off twice") == true)
        #expect(model.asked.isEmpty)
        await harness.stop()
    }

    @Test("when the job leaves Scanning, its journey stops and writes no results")
    func stops() async throws {
        let harness = Harness()
        let model = StallingModel()
        try await harness.start(model: model)
        let uid = try await harness.scanningJob("deadline", config: ["goal": "wait", "accessibility": false])
        #expect(try await Self.waitUntil { model.requests == 1 })
        try await harness.setPhase("deadline", .failed)
        #expect(try await Self.waitUntil { model.wasCancelled })
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await harness.objects.exists("artifacts/\(uid)/ai-navigator/results.json") == false)
        await harness.stop()
    }

    @Test("jobs that do not select a scanner of this controller are left alone")
    func ignoresOthers() async throws {
        let harness = Harness()
        let model = ScriptedModel([])
        try await harness.start(model: model)
        _ = try await harness.store.create(.scanner, try JSONValue(encoding: Scanner(
            metadata: ObjectMeta(name: "seo"), spec: ScannerSpec(id: "seo", version: "1.0.0", entry: ScannerEntry(builtin: "seo")))))
        var object = try await harness.store.create(.scanJob, try JSONValue(encoding: ScanJob(
            metadata: ObjectMeta(name: "plain", namespace: "default"),
            spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: [ScannerSelection(name: "seo")]))))
        let uid = object[path: ["metadata", "uid"]]!.stringValue!
        var status = ScanJobStatus()
        status.phase = .scanning
        object["status"] = try JSONValue(encoding: status)
        _ = try await harness.store.update(.scanJob, object, subresource: .status)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await harness.objects.list(prefix: "artifacts/\(uid)/").isEmpty)
        #expect(model.asked.isEmpty)
        await harness.stop()
    }
}
