import Foundation
import StageflowAPI
import StageflowStore
import Testing

@testable import StageflowServer

/// How far each reader has read.
final class ReaderProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]

    init(readers: Int) { counts = Array(repeating: 0, count: readers) }

    func record(_ reader: Int, count: Int) { lock.withLock { counts[reader] = count } }

    /// Waits (bounded) until every reader has read `count` events.
    func waitUntilAll(reach count: Int, seconds: Double) async {
        let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
        while lock.withLock({ counts.min() ?? count }) < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// Many clients on one hub, one of which never reads: the publisher never waits for it, the others get every
/// event, and the stalled client is evicted. The publisher's fan-out latency is printed, not asserted on.
@Suite("SSE under load")
struct SSELoadTests {
    @Test("200 clients, one stalled: every reader receives every event; the stalled one is evicted")
    func twoHundredClients() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: testStoreConfiguration)
        try await store.start()
        defer { Task { await store.shutdown() } }
        let events = 400
        let hub = ScanJobEventHub(
            store: store, limits: .init(clientBufferCapacity: 64, evictAfterOverflows: 64, historyCapacity: 1024),
            logger: .init(label: "test"))
        defer { hub.stop() }

        let job = try await store.create(.scanJob, scanJob("busy"))
        let uid = try #require(job[path: ["metadata", "uid"]]?.stringValue)
        let stalled = await hub.subscribe(scope: .all)
        var readers: [ScanJobEventHub.Subscription] = []
        for index in 0..<199 { readers.append(await hub.subscribe(scope: index.isMultiple(of: 2) ? .all : .job(uid: uid))) }
        #expect(hub.subscriberCount == 200)

        // Readers record the revisions they see until they have seen the last one.
        let progress = ReaderProgress(readers: readers.count)
        let (received, evictedAt) = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, reader) in readers.enumerated() {
                group.addTask {
                    var revisions: [Int64] = []
                    while revisions.count < events {
                        switch await reader.buffer.next(waitingAtMost: .seconds(60)) {
                        case .event(let event):
                            revisions.append(Int64(event.id ?? "") ?? -1)
                            progress.record(index, count: revisions.count)
                        case .idle: return revisions
                        case .closed: return revisions
                        }
                    }
                    return revisions
                }
            }
            // The publisher: status writes to the job, each one fanned out to all 200 clients.
            var status = ScanJobStatus()
            status.phase = .scanning
            var current = job
            var evictedAt: Int?
            for number in 0..<events {
                status.pages = PageCounts(total: Int64(events), scanned: Int64(number + 1))
                current[path: "status"] = try JSONValue(encoding: status)
                current = try await store.update(.scanJob, current, subresource: .status)
                // The writer, not the hub, keeps to a pace the readers can follow on a busy two-core machine:
                // bursts of 16 changes, far below the 64 a client buffers. The hub itself never waits.
                if number % 16 == 15 { await progress.waitUntilAll(reach: number + 1, seconds: 30) }
                if evictedAt == nil, stalled.buffer.wasEvicted { evictedAt = number }
            }
            var all: [[Int64]] = []
            for try await revisions in group { all.append(revisions) }
            return (all, evictedAt ?? events)
        }

        let expectedCount = events
        let complete = received.filter { $0.count == expectedCount && $0 == $0.sorted() }
        #expect(complete.count == 199, "readers with every event in order: \(complete.count) of 199; counts \(Set(received.map(\.count)))")
        #expect(stalled.buffer.wasEvicted)
        #expect(hub.evictionCount == 1)
        #expect(hub.subscriberCount == 199)
        #expect(readers.allSatisfy { $0.buffer.droppedCount == 0 })

        // The publisher's latency per event, while the stalled client was still subscribed (and full) and after
        // it was evicted: the stalled client costs the publisher nothing it would notice.
        let durations = hub.fanOutDurations.map { Double($0.components.attoseconds) / 1e12 + Double($0.components.seconds) * 1e6 }
        func summary(_ values: ArraySlice<Double>) -> String {
            let sorted = values.sorted()
            func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            return String(
                format: "%d events: p50 %.1f µs, p99 %.1f µs, max %.1f µs, mean %.1f µs", sorted.count, percentile(0.5), percentile(0.99),
                sorted.last ?? 0, sorted.reduce(0, +) / Double(max(1, sorted.count)))
        }
        let split = min(evictedAt, durations.count)
        print("SSE load: \(events) events to 200 clients, 1 stalled (evicted at event \(evictedAt) after 64 overflows); fan-out per event:")
        print("  with the stalled client subscribed: \(summary(durations[..<split]))")
        print("  after its eviction:                 \(summary(durations[split...]))")
        print("  overall:                            \(summary(durations[...]))")
    }
}
