import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

@Suite("Leader election")
struct LeaderElectorTests {
    /// Counts how many candidates lead at once.
    final class Leadership: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var current: Set<String> = []
        private(set) var maximumAtOnce = 0
        private(set) var leaders: [String] = []

        func enter(_ id: String) {
            lock.withLock {
                current.insert(id)
                leaders.append(id)
                maximumAtOnce = max(maximumAtOnce, current.count)
            }
        }

        func leave(_ id: String) { _ = lock.withLock { current.remove(id) } }

        var snapshot: (current: Set<String>, maximum: Int, leaders: [String]) {
            lock.withLock { (current, maximumAtOnce, leaders) }
        }
    }

    func candidate(_ id: String, store: ResourceStore, leadership: Leadership) -> Task<Void, Never> {
        let elector = LeaderElector(
            client: StoreResourceClient(store: store), identity: id,
            timing: .init(leaseDuration: .seconds(3), renewDeadline: .seconds(2), retryPeriod: .milliseconds(100)),
            logger: Logger(label: "test"))
        return Task {
            await elector.run {
                leadership.enter(id)
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                leadership.leave(id)
            }
        }
    }

    @Test("one leader at a time; a standby takes over when the leader dies")
    func takeover() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil))
        try await store.start()
        let leadership = Leadership()
        let first = candidate("first", store: store, leadership: leadership)
        for _ in 0..<200 where leadership.snapshot.current.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(leadership.snapshot.current == ["first"])
        let second = candidate("second", store: store, leadership: leadership)
        // The standby keeps standing by while the leader renews.
        try await Task.sleep(for: .seconds(2))
        #expect(leadership.snapshot.current == ["first"])
        // The leader dies without releasing the lease: its task stops renewing.
        first.cancel()
        _ = await first.value
        for _ in 0..<1000 where !leadership.snapshot.current.contains("second") { try await Task.sleep(for: .milliseconds(20)) }
        #expect(leadership.snapshot.current == ["second"])
        #expect(leadership.snapshot.maximum == 1)
        let lease = try await store.get(.lease, namespace: "stageflow-system", name: "stageflow-controller")
        #expect(lease[path: ["spec", "holderIdentity"]] == "second")
        #expect(lease[path: ["spec", "leaseTransitions"]]?.intValue == 1)
        second.cancel()
        _ = await second.value
        await store.shutdown()
    }
}
