import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

@Suite("Controller manager", .timeLimit(.minutes(2)))
struct ControllerManagerTests {
    /// Which keys each leadership term reconciled, and which terms have ended.
    final class Terms: @unchecked Sendable {
        private let lock = NSLock()
        private var reconciled: [Int: Set<String>] = [:]
        private var started = 0
        private var ended: Set<Int> = []

        func begin() -> Int { lock.withLock { started += 1; return started } }
        func record(_ term: Int, _ key: ObjectName) { _ = lock.withLock { reconciled[term, default: []].insert(key.name) } }
        func end(_ term: Int) { _ = lock.withLock { ended.insert(term) } }
        func reconciled(_ term: Int, _ name: String) -> Bool { lock.withLock { reconciled[term]?.contains(name) == true } }
        func hasEnded(_ term: Int) -> Bool { lock.withLock { ended.contains(term) } }
        var count: Int { lock.withLock { started } }
    }

    struct RecordingReconciler: Reconciler {
        let term: Int
        let terms: Terms
        func reconcile(_ key: ObjectName) async throws -> ReconcileResult {
            terms.record(term, key)
            return .done
        }
    }

    /// Marks its term ended when the term is cancelled.
    struct TermEnd: Runnable {
        let name = "term-end"
        let term: Int
        let terms: Terms
        func run() async throws {
            try? await Task.sleep(for: .seconds(3600))
            terms.end(term)
        }
    }

    static func job(_ name: String) throws -> JSONValue {
        try JSONValue(encoding: ScanJob(
            metadata: ObjectMeta(name: name, namespace: "default"),
            spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: [ScannerSelection(name: "axe")])))
    }

    @Test("losing the lease stops the term's controllers; winning it back starts fresh ones that reconcile again")
    func regainAfterLoss() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil))
        try await store.start()
        _ = try await store.create(.scanJob, try Self.job("existing"))
        let clock = ManualClock()
        let client = PartitionableClient(StoreResourceClient(store: store), clock: clock)
        let terms = Terms()
        let logger = Logger(label: "test")
        let manager = ControllerManager(client: client, resyncInterval: nil, logger: logger) { informers in
            let term = terms.begin()
            let controller = Controller<ObjectName>(name: "test", reconciler: RecordingReconciler(term: term, terms: terms), logger: logger)
            controller.watchPrimary(informers.informer(for: .scanJob))
            return [controller, TermEnd(term: term, terms: terms)]
        }
        let elector = LeaderElector(client: client, identity: "solo", timing: LeaderElectorTests.timing, clock: clock, logger: logger)
        let running = Task { await manager.run(electedBy: elector) }
        #expect(await clock.run(until: { terms.reconciled(1, "existing") }, limit: .seconds(60)))

        // The API server stops answering past the renew deadline.
        client.setPartitioned(true)
        #expect(await clock.run(until: { terms.hasEnded(1) }, limit: clock.elapsed + .seconds(30)))
        _ = try await store.create(.scanJob, try Self.job("created-while-away"))
        client.setPartitioned(false)
        #expect(
            await clock.run(
                until: { terms.reconciled(2, "existing") && terms.reconciled(2, "created-while-away") }, limit: clock.elapsed + .seconds(60)))
        #expect(terms.count == 2)
        running.cancel()
        await running.value
        #expect(terms.hasEnded(2))
        await store.shutdown()
    }

    @Test("a controller starts once")
    func startsOnce() async throws {
        let controller = Controller<ObjectName>(
            name: "once", reconciler: RecordingReconciler(term: 0, terms: Terms()), logger: Logger(label: "test"))
        let first = Task { try await controller.run() }
        await Task.yield()
        await #expect(throws: ControllerError.self) { try await controller.run() }
        first.cancel()
        try await first.value
    }
}
