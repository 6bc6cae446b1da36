import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

/// The assembled controller: informers feed the reconciler, and a change of a job reaches its schedule.
@Suite("ScanSchedule controller")
struct ScanScheduleControllerTests {
    @Test("a due start runs from the informers' view, and the run's end reaches the schedule's history")
    func assembled() async throws {
        let harness = ScheduleHarness()
        try await harness.start()
        try await harness.create("* * * * *")
        try await harness.setLastScheduleTime("2030-06-01T00:00:00Z")
        harness.clock.set(try ScheduleHarness.date("2030-06-01T00:01:02Z"))
        let clock = harness.clock
        let client = StoreResourceClient(store: harness.store)
        let informers = InformerSet(client: client, logger: Logger(label: "test"))
        let controller = ScanScheduleController(
            informers: informers, client: client, events: harness.events, logger: Logger(label: "test"), now: { clock.now })
        let task = Task {
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await informers.run() }
                group.addTask { try await controller.run() }
                try? await group.waitForAll()
            }
        }
        let name = try ScheduleHarness.jobName("2030-06-01T00:01:00Z")
        let created = try await Self.eventually { try await harness.jobNames() == [name] }
        #expect(created)
        #expect(try await Self.eventually { controller.jobs.cache.count == 1 }, "the job informer sees the run")
        try await harness.finish(name, .done, score: 95)
        let recorded = try await Self.eventually { try await harness.schedule().status?.history?.first?.job == name }
        #expect(recorded)
        #expect(try await harness.schedule().status?.active == nil)
        #expect(try await harness.jobNames() == [name], "one job for the start, however often the pass ran")
        task.cancel()
        await harness.stop()
    }

    @Test("the job cache is indexed by controlling schedule, and follows deletions")
    func jobIndex() async throws {
        let harness = ScheduleHarness()
        try await harness.start()
        func job(_ name: String, owner: String?, kind: String = "ScanSchedule") throws -> JSONValue {
            var metadata = ObjectMeta(name: name, namespace: "default")
            metadata.ownerReferences = owner.map { [OwnerReference(apiVersion: "stageflow.dev/v1alpha1", kind: kind, name: "s", uid: $0)] }
            return try JSONValue(encoding: ScanJob(
                metadata: metadata, spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: [ScannerSelection(name: "axe")])))
        }
        for (name, owner, kind) in [("a-1", "uid-a", "ScanSchedule"), ("a-2", "uid-a", "ScanSchedule"), ("b-1", "uid-b", "ScanSchedule"),
            ("loose", nil, "ScanSchedule"), ("other", "uid-a", "Deployment")]
        {
            _ = try await harness.store.create(.scanJob, try job(name, owner: owner, kind: kind))
        }
        let informer = Informer(client: StoreResourceClient(store: harness.store), kind: .scanJob, logger: Logger(label: "test"))
        let jobs = CachedScheduledJobs(informer: informer)
        let task = Task { await informer.run() }
        await informer.waitForSync()
        func names(_ uid: String) async throws -> [String] {
            try await jobs.jobs(namespace: "default", scheduleUID: uid).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        }
        #expect(try await names("uid-a") == ["a-1", "a-2"])
        #expect(try await names("uid-b") == ["b-1"])
        #expect(try await jobs.jobs(namespace: "elsewhere", scheduleUID: "uid-a").isEmpty)
        _ = try await harness.store.delete(.scanJob, namespace: "default", name: "a-1")
        #expect(try await Self.eventually { try await names("uid-a") == ["a-2"] })
        task.cancel()
        await harness.stop()
    }

    /// Polls `condition` for up to ten seconds.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<400 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }
}
