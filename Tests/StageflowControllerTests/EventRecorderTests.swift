import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

@Suite("Event recorder", .timeLimit(.minutes(2)))
struct EventRecorderTests {
    /// Counts the writes of Events that pass through it.
    final class CountingEvents: ResourceClient, @unchecked Sendable {
        let inner: any ResourceClient
        private let lock = NSLock()
        private var writes = 0
        init(_ inner: any ResourceClient) { self.inner = inner }
        var eventWrites: Int { lock.withLock { writes } }
        private func count(_ kind: ResourceKind) { if kind == .event { lock.withLock { writes += 1 } } }

        func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
            try await inner.get(kind, namespace: namespace, name: name)
        }
        func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
            try await inner.list(kind, namespace: namespace, options: options)
        }
        func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
            try await inner.watch(kind, namespace: namespace, options: options)
        }
        func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
            count(kind)
            return try await inner.create(kind, object)
        }
        func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
            count(kind)
            return try await inner.update(kind, object)
        }
        func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
            try await inner.updateStatus(kind, object)
        }
        func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {
            try await inner.delete(kind, namespace: namespace, name: name, options: options)
        }
    }

    /// Fails every pass, counting them.
    final class AlwaysFailing: Reconciler, @unchecked Sendable {
        struct Broken: Error, CustomStringConvertible { var description: String { "the runtime does not answer" } }
        private let lock = NSLock()
        private var failures = 0
        var count: Int { lock.withLock { failures } }
        /// Counts one failure without a pass (for the failures the controller reports).
        func note() { lock.withLock { failures += 1 } }
        func reconcile(_ key: ObjectName) async throws -> ReconcileResult {
            lock.withLock { failures += 1 }
            throw Broken()
        }
    }

    @Test("a reconcile failing a thousand times is one Warning event with count 1000, written twice")
    func thousandFailures() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil))
        try await store.start()
        _ = try await store.create(.scanJob, try ControllerManagerTests.job("stuck"))
        let client = CountingEvents(StoreResourceClient(store: store))
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let informers = InformerSet(client: client, resyncInterval: nil, logger: logger)
        let jobs = informers.informer(for: .scanJob)
        let events = EventRecorder(client: client, component: "test", instance: "test-1", flushInterval: .seconds(3600), logger: logger)
        let failing = AlwaysFailing()
        // No backoff, so a thousand failures take moments.
        let limiter = RateLimiter<ObjectName>(baseDelay: .nanoseconds(1), maxDelay: .nanoseconds(1), tokensPerSecond: 1e12, burst: 1e12)
        let controller = Controller<ObjectName>(name: "failing", reconciler: failing, rateLimiter: limiter, logger: logger)
        controller.watchPrimary(jobs)
        let reported = AlwaysFailing()
        controller.reportFailures { key, error in
            reported.note()
            if let job = jobs.cache.get(key) { events.warning(job, kind: .scanJob, reason: "ReconcileFailed", message: "\(error)") }
        }
        let term = Task { await ControllerManager.run([events, controller], on: informers, logger: logger) }
        while failing.count < 1000 { try await Task.sleep(for: .milliseconds(5)) }
        term.cancel()
        await term.value
        let failures = reported.count
        #expect(failures >= 1000)

        let stored = try await store.list(.event, namespace: nil).items
        #expect(stored.count == 1)
        let event = try #require(stored.first)
        #expect(event["type"] == "Warning")
        #expect(event["reason"] == "ReconcileFailed")
        #expect(event["count"]?.intValue == Int64(failures))
        #expect(event[path: ["involvedObject", "name"]] == "stuck")
        #expect(event["message"] == "the runtime does not answer")
        #expect(client.eventWrites == 2, "the first occurrence, then the final count")
        #expect(events.entryCount == 1)
        await store.shutdown()
    }

    @Test("distinct reasons are distinct events; an event deleted meanwhile is recorded afresh")
    func reasonsAndRecreation() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil))
        try await store.start()
        let job = try await store.create(.scanJob, try ControllerManagerTests.job("homepage"))
        let recorder = EventRecorder(
            client: StoreResourceClient(store: store), component: "test", instance: "test-1", flushInterval: .seconds(3600),
            logger: Logger(label: "test"))
        recorder.normal(job, kind: .scanJob, reason: "Accepted", message: "the job is valid")
        recorder.normal(job, kind: .scanJob, reason: "Completed", message: "report ready")
        recorder.normal(job, kind: .scanJob, reason: "Completed", message: "report ready again")
        await recorder.flush()
        var stored = try await store.list(.event, namespace: nil).items
        #expect(Set(stored.compactMap { $0["reason"]?.stringValue }) == ["Accepted", "Completed"])
        #expect(stored.first { $0["reason"] == "Completed" }?["count"]?.intValue == 2)
        #expect(stored.first { $0["reason"] == "Completed" }?["message"] == "report ready again")

        _ = try await store.delete(.event, namespace: "default", name: stored.first { $0["reason"] == "Completed" }?[path: ["metadata", "name"]]?.stringValue ?? "")
        recorder.normal(job, kind: .scanJob, reason: "Completed", message: "report ready")
        await recorder.flush()
        stored = try await store.list(.event, namespace: nil).items
        #expect(stored.first { $0["reason"] == "Completed" }?["count"]?.intValue == 3)
        await store.shutdown()
    }
}
