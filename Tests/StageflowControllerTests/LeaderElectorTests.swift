import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

/// Leader election on a clock the test moves by hand, so the bounds below are properties of the algorithm, not of
/// how fast this machine ran the test.
@Suite("Leader election", .timeLimit(.minutes(2)))
struct LeaderElectorTests {
    static let timing = LeaderElector.Timing(leaseDuration: .seconds(10), renewDeadline: .seconds(8), retryPeriod: .seconds(2))

    /// Who leads, and when (on the election clock) each started and stopped acting.
    final class Leadership: @unchecked Sendable {
        private let lock = NSLock()
        private let clock: ManualClock
        private var leading: Set<String> = []
        private var maximum = 0
        private var entered: [String: [Duration]] = [:]
        private var left: [String: [Duration]] = [:]

        init(clock: ManualClock) { self.clock = clock }

        func enter(_ id: String) {
            lock.withLock {
                leading.insert(id)
                maximum = max(maximum, leading.count)
                entered[id, default: []].append(clock.elapsed)
            }
        }

        func leave(_ id: String) {
            lock.withLock {
                leading.remove(id)
                left[id, default: []].append(clock.elapsed)
            }
        }

        var current: Set<String> { lock.withLock { leading } }
        var maximumAtOnce: Int { lock.withLock { maximum } }
        func enteredAt(_ id: String) -> [Duration] { lock.withLock { entered[id] ?? [] } }
        func leftAt(_ id: String) -> [Duration] { lock.withLock { left[id] ?? [] } }
    }

    static func makeStore() async throws -> ResourceStore {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil))
        try await store.start()
        return store
    }

    func candidate(_ id: String, client: any ResourceClient, clock: ManualClock, leadership: Leadership) -> Task<Void, Never> {
        let elector = LeaderElector(client: client, identity: id, timing: Self.timing, clock: clock, logger: Logger(label: "test"))
        return Task {
            await elector.run {
                leadership.enter(id)
                try? await Task.sleep(for: .seconds(3600))
                leadership.leave(id)
            }
        }
    }

    static func holder(_ store: ResourceStore) async throws -> String? {
        try await store.get(.lease, namespace: "stageflow-system", name: "stageflow-controller")[path: ["spec", "holderIdentity"]]?.stringValue
    }

    @Test("cut off from the API past the renew deadline, the leader stops acting; the standby takes over within lease duration + retry period")
    func standbyTakesOver() async throws {
        let store = try await Self.makeStore()
        let clock = ManualClock()
        let leadership = Leadership(clock: clock)
        let toA = PartitionableClient(StoreResourceClient(store: store), clock: clock)
        let toB = PartitionableClient(StoreResourceClient(store: store), clock: clock)
        let a = candidate("a", client: toA, clock: clock, leadership: leadership)
        #expect(await clock.run(until: { leadership.current == ["a"] }, limit: .seconds(60)))
        let b = candidate("b", client: toB, clock: clock, leadership: leadership)
        await clock.run(until: { false }, limit: clock.elapsed + .seconds(25))
        #expect(leadership.current == ["a"], "the standby stands by while the leader renews")

        toA.setPartitioned(true)
        let lastRenewal = try #require(toA.lastLeaseWrite)
        #expect(await clock.run(until: { leadership.current == ["b"] }, limit: lastRenewal + .seconds(60)))
        let stoppedA = try #require(leadership.leftAt("a").first)
        let startedB = try #require(leadership.enteredAt("b").first)
        #expect(stoppedA <= lastRenewal + Self.timing.renewDeadline, "the leader stops acting once it cannot renew")
        #expect(stoppedA < startedB)
        #expect(startedB - lastRenewal <= Self.timing.leaseDuration + Self.timing.retryPeriod)
        #expect(try await Self.holder(store) == "b")

        // Back on the network, the old leader stands by: the lease is renewed by its new holder.
        toA.setPartitioned(false)
        await clock.run(until: { false }, limit: clock.elapsed + .seconds(30))
        #expect(leadership.current == ["b"])
        #expect(leadership.maximumAtOnce == 1)
        a.cancel()
        b.cancel()
        await a.value
        await b.value
        await store.shutdown()
    }

    @Test("a restart under the same identity takes its own lease at once; a clean shutdown releases it for anyone")
    func sameIdentityAndRelease() async throws {
        let store = try await Self.makeStore()
        let clock = ManualClock()
        let leadership = Leadership(clock: clock)
        let first = PartitionableClient(StoreResourceClient(store: store), clock: clock)
        let killed = candidate("up-data", client: first, clock: clock, leadership: leadership)
        #expect(await clock.run(until: { leadership.current == ["up-data"] }, limit: .seconds(60)))
        // Killed: it can no longer write, so it cannot release the lease either.
        first.setPartitioned(true)
        killed.cancel()
        await killed.value
        #expect(try await Self.holder(store) == "up-data")

        let restarted = candidate("up-data", client: StoreResourceClient(store: store), clock: clock, leadership: leadership)
        let at = clock.elapsed
        #expect(await clock.run(until: { leadership.current == ["up-data"] }, limit: at), "no wait for its own lease")
        #expect(leadership.enteredAt("up-data").last == at)

        restarted.cancel()
        await restarted.value
        #expect(try await Self.holder(store) == nil, "a clean shutdown releases the lease")
        let other = candidate("other", client: StoreResourceClient(store: store), clock: clock, leadership: leadership)
        #expect(await clock.run(until: { leadership.current == ["other"] }, limit: clock.elapsed), "a released lease is taken at once")
        other.cancel()
        await other.value
        await store.shutdown()
    }
}
