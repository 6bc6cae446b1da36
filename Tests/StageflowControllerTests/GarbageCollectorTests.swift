import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

/// Owner references and deletion propagation over a real in-memory store: the store marks owners on Foreground
/// and Orphan deletes, the collector does the rest.
@Suite("Garbage collector", .timeLimit(.minutes(2)))
struct GarbageCollectorTests {
    final class Harness: @unchecked Sendable {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil, pollInterval: .milliseconds(20)))
        private var collector: Task<Void, Never>?

        func start() async throws { try await store.start() }

        /// Starts a collector (a fresh one each time, as a new leadership term would).
        func startCollector() {
            let client = StoreResourceClient(store: store)
            let logger = Logger(label: "test")
            let informers = InformerSet(client: client, resyncInterval: nil, logger: logger)
            let collector = GarbageCollector(informers: informers, client: client, logger: logger)
            self.collector = Task { await ControllerManager.run([collector], on: informers, logger: logger) }
        }

        func stopCollector() async {
            collector?.cancel()
            await collector?.value
            collector = nil
        }

        func stop() async {
            await stopCollector()
            await store.shutdown()
        }

        func schedule(_ name: String) async throws -> JSONValue {
            let schedule = ScanSchedule(
                metadata: ObjectMeta(name: name, namespace: "default"),
                spec: ScanScheduleSpec(schedule: "@daily", jobTemplate: ScanJobTemplate(spec: Self.jobSpec)))
            return try await store.create(.scanSchedule, try JSONValue(encoding: schedule))
        }

        static let jobSpec = ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: [ScannerSelection(name: "axe")])

        /// A ScanJob owned by `owners` (blocking their foreground deletion), with extra finalizers.
        @discardableResult
        func job(_ name: String, owners: [JSONValue], finalizers: [String] = []) async throws -> JSONValue {
            var metadata = ObjectMeta(name: name, namespace: "default")
            metadata.ownerReferences = owners.map { owner in
                OwnerReference(
                    apiVersion: owner["apiVersion"]?.stringValue ?? "", kind: owner["kind"]?.stringValue ?? "",
                    name: owner[path: ["metadata", "name"]]?.stringValue ?? "", uid: owner[path: ["metadata", "uid"]]?.stringValue ?? "",
                    controller: true, blockOwnerDeletion: true)
            }
            metadata.finalizers = finalizers.isEmpty ? nil : finalizers
            return try await store.create(.scanJob, try JSONValue(encoding: ScanJob(metadata: metadata, spec: Self.jobSpec)))
        }

        func get(_ kind: ResourceKind, _ name: String) async throws -> JSONValue? {
            do {
                return try await store.get(kind, namespace: "default", name: name)
            } catch let status as APIStatus where status.code == 404 {
                return nil
            }
        }

        func delete(_ kind: ResourceKind, _ name: String, _ policy: DeleteOptions.PropagationPolicy? = nil) async throws {
            _ = try await store.delete(kind, namespace: "default", name: name, propagation: policy)
        }

        /// Whether none of these objects exists any more.
        func gone(_ kind: ResourceKind, _ names: String...) async throws -> Bool {
            for name in names where try await get(kind, name) != nil { return false }
            return true
        }

        func removeFinalizers(_ name: String) async throws {
            var job = try await store.get(.scanJob, namespace: "default", name: name)
            job["metadata"]?["finalizers"] = []
            _ = try await store.update(.scanJob, job)
        }

        /// Waits until `condition` holds (bounded by the suite's time limit).
        func until(_ condition: () async throws -> Bool) async throws {
            while try await !condition() { try await Task.sleep(for: .milliseconds(10)) }
        }
    }

    @Test("Background (the default): the owner goes at once, its dependents after it")
    func background() async throws {
        let harness = Harness()
        try await harness.start()
        harness.startCollector()
        let owner = try await harness.schedule("nightly")
        try await harness.job("run-1", owners: [owner])
        try await harness.job("run-2", owners: [owner])
        try await harness.job("unowned", owners: [])
        try await harness.delete(.scanSchedule, "nightly")
        #expect(try await harness.get(.scanSchedule, "nightly") == nil)
        try await harness.until { try await harness.gone(.scanJob, "run-1", "run-2") }
        #expect(try await harness.get(.scanJob, "unowned") != nil)
        await harness.stop()
    }

    @Test("Orphan: the dependents stay, without the reference to the deleted owner")
    func orphan() async throws {
        let harness = Harness()
        try await harness.start()
        harness.startCollector()
        let owner = try await harness.schedule("nightly")
        try await harness.job("run-1", owners: [owner])
        try await harness.delete(.scanSchedule, "nightly", .orphan)
        try await harness.until { try await harness.get(.scanSchedule, "nightly") == nil }
        let kept = try #require(try await harness.get(.scanJob, "run-1"))
        #expect(kept[path: ["metadata", "ownerReferences"]] == nil)
        #expect(kept[path: ["metadata", "deletionTimestamp"]] == nil)
        await harness.stop()
    }

    @Test("Foreground: the owner waits, marked, until its blocking dependents are gone")
    func foreground() async throws {
        let harness = Harness()
        try await harness.start()
        harness.startCollector()
        let owner = try await harness.schedule("nightly")
        try await harness.job("run-1", owners: [owner], finalizers: ["test.stageflow.dev/hold"])
        try await harness.delete(.scanSchedule, "nightly", .foreground)
        // The dependent is being deleted, held by its own finalizer; the owner waits for it.
        try await harness.until { try await harness.get(.scanJob, "run-1")?[path: ["metadata", "deletionTimestamp"]] != nil }
        let waiting = try #require(try await harness.get(.scanSchedule, "nightly"))
        #expect(waiting[path: ["metadata", "deletionTimestamp"]] != nil)
        #expect(waiting[path: ["metadata", "finalizers"]] == [.string(DeleteOptions.foregroundFinalizer)])
        try await harness.removeFinalizers("run-1")
        try await harness.until { try await harness.get(.scanSchedule, "nightly") == nil }
        #expect(try await harness.get(.scanJob, "run-1") == nil)
        await harness.stop()
    }

    @Test("deleted while no collector ran: a fresh one collects, orphans and finishes foreground deletions from its full LIST")
    func collectorWasDown() async throws {
        let harness = Harness()
        try await harness.start()
        let background = try await harness.schedule("background")
        let orphaning = try await harness.schedule("orphaning")
        let foreground = try await harness.schedule("foreground")
        try await harness.job("background-run", owners: [background])
        try await harness.job("orphaned-run", owners: [orphaning])
        try await harness.job("foreground-run", owners: [foreground])
        try await harness.delete(.scanSchedule, "background")
        try await harness.delete(.scanSchedule, "orphaning", .orphan)
        try await harness.delete(.scanSchedule, "foreground", .foreground)
        // Nobody collects yet: the marks wait and the dependents stay.
        #expect(try await harness.get(.scanJob, "background-run") != nil)
        #expect(try await harness.get(.scanSchedule, "foreground")?[path: ["metadata", "deletionTimestamp"]] != nil)

        harness.startCollector()
        try await harness.until {
            let jobsGone = try await harness.gone(.scanJob, "background-run", "foreground-run")
            let ownersGone = try await harness.gone(.scanSchedule, "foreground", "orphaning")
            return jobsGone && ownersGone
        }
        let orphaned = try #require(try await harness.get(.scanJob, "orphaned-run"))
        #expect(orphaned[path: ["metadata", "ownerReferences"]] == nil)
        await harness.stop()
    }

    @Test("a dependent with another owner left keeps living, without the reference to the one that went")
    func secondOwner() async throws {
        let harness = Harness()
        try await harness.start()
        harness.startCollector()
        let first = try await harness.schedule("first")
        let second = try await harness.schedule("second")
        try await harness.job("shared", owners: [first, second])
        try await harness.delete(.scanSchedule, "first")
        try await harness.until {
            try await harness.get(.scanJob, "shared")?[path: ["metadata", "ownerReferences"]]?.arrayValue?.count == 1
        }
        let shared = try #require(try await harness.get(.scanJob, "shared"))
        #expect(shared[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["name"] == "second")
        await harness.stop()
    }
}
