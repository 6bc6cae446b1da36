import Foundation
import StageflowAPI
import StageflowStore
import Testing

@testable import StageflowServer

@Suite("SSE client buffer and event hub")
struct SSEBufferTests {
    static func event(_ number: Int) -> SSEEvent { SSEEvent(id: String(number), name: "modified", data: "{\"n\":\(number)}") }

    @Test("a full buffer drops its oldest event instead of waiting, and keeps the newest")
    func dropsOldest() async {
        let buffer = SSEClientBuffer(capacity: 3, evictAfterOverflows: 100)
        #expect(buffer.push(Self.event(1)) == .queued)
        #expect(buffer.push(Self.event(2)) == .queued)
        #expect(buffer.push(Self.event(3)) == .queued)
        #expect(buffer.push(Self.event(4)) == .droppedOldest)
        #expect(buffer.push(Self.event(5)) == .droppedOldest)
        #expect(buffer.droppedCount == 2)
        var ids: [String] = []
        for _ in 0..<3 {
            if case .event(let event) = await buffer.next(waitingAtMost: .seconds(1)) { ids.append(event.id ?? "") }
        }
        #expect(ids == ["3", "4", "5"])
        #expect(await buffer.next(waitingAtMost: .milliseconds(10)) == .idle)
    }

    @Test("a client that stays full is evicted: its buffer closes and later pushes are refused")
    func evictsStalledClient() async {
        let buffer = SSEClientBuffer(capacity: 2, evictAfterOverflows: 3)
        let closed = Flag()
        buffer.onClose { closed.set() }
        for number in 1...5 { #expect(buffer.push(Self.event(number)) != .evicted) }
        #expect(buffer.push(Self.event(6)) == .evicted)
        #expect(buffer.wasEvicted)
        #expect(closed.value)
        #expect(buffer.push(Self.event(7)) == .closed)
        #expect(await buffer.next(waitingAtMost: .seconds(1)) == .closed(evicted: true))
    }

    @Test("reading resets the overflow count: a slow client that keeps reading is not evicted")
    func slowReaderStays() async {
        let buffer = SSEClientBuffer(capacity: 2, evictAfterOverflows: 2)
        for round in 0..<10 {
            for number in 0..<3 { buffer.push(Self.event(round * 10 + number)) }
            _ = await buffer.next(waitingAtMost: .seconds(1))
        }
        #expect(!buffer.wasEvicted)
    }

    @Test("a waiting reader gets the next push at once")
    func waitingReader() async {
        let buffer = SSEClientBuffer(capacity: 4, evictAfterOverflows: 4)
        async let next = buffer.next(waitingAtMost: .seconds(30))
        try? await Task.sleep(for: .milliseconds(50))
        buffer.push(Self.event(9))
        #expect(await next == .event(Self.event(9)))
    }

    @Test("the wire format: id, event, one data line per line, blank line")
    func encoding() {
        let event = SSEEvent(id: "42", name: "snapshot", data: "{\"a\":1}\n{\"b\":2}")
        #expect(event.encoded == "id: 42\nevent: snapshot\ndata: {\"a\":1}\ndata: {\"b\":2}\n\n")
    }

    static func hub(store: ResourceStore, history: Int = 100, capacity: Int = 64) -> ScanJobEventHub {
        ScanJobEventHub(
            store: store, limits: .init(clientBufferCapacity: capacity, evictAfterOverflows: capacity, historyCapacity: history),
            logger: .init(label: "test"))
    }

    @Test("a new client gets a snapshot of its scope; Last-Event-ID replays what changed after it, or a snapshot when too old")
    func lastEventIDReplay() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: testStoreConfiguration)
        try await store.start()
        defer { Task { await store.shutdown() } }
        let first = try await store.create(.scanJob, scanJob("first"))
        let hub = Self.hub(store: store, history: 3)
        defer { hub.stop() }
        let initial = await hub.subscribe(scope: .all)
        #expect(initial.initial.count == 1 && initial.initial[0].name == "snapshot")
        #expect(initial.initial[0].data.contains("\"first\""))
        let snapshotRevision = try #require(Int64(initial.initial[0].id ?? ""))

        let second = try await store.create(.scanJob, scanJob("second"))
        let secondRevision = try #require(Int64(second.resourceVersion ?? ""))
        // The hub follows the store on its own; wait for it to see the write.
        guard case .event(let added) = await initial.buffer.next(waitingAtMost: .seconds(10)) else {
            Issue.record("no event for the second job")
            return
        }
        #expect(added.name == "added" && added.id == String(secondRevision))

        let replay = await hub.subscribe(scope: .all, lastEventID: snapshotRevision)
        #expect(replay.initial.map(\.name) == ["added"])
        #expect(replay.initial.first?.data.contains("\"second\"") == true)

        // Scoped to one job: the other job's changes are not replayed.
        let uid = try #require(first[path: ["metadata", "uid"]]?.stringValue)
        let scoped = await hub.subscribe(scope: .job(uid: uid), lastEventID: snapshotRevision)
        #expect(scoped.initial.isEmpty)

        // More changes than the history keeps: an old Last-Event-ID gets a fresh snapshot.
        for index in 0..<5 { _ = try await store.create(.scanJob, scanJob("more-\(index)")) }
        for _ in 0..<5 { _ = await initial.buffer.next(waitingAtMost: .seconds(10)) }
        let stale = await hub.subscribe(scope: .namespace("default"), lastEventID: snapshotRevision)
        #expect(stale.initial.map(\.name) == ["snapshot"])
        #expect(stale.initial.first?.data.contains("more-4") == true)
    }
}

extension SSEBufferTests {
    @Test("after a relist (the watch fell behind compaction) clients get what changed, at the list's revision")
    func relist() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: testStoreConfiguration)
        try await store.start()
        defer { Task { await store.shutdown() } }
        let kept = try await store.create(.scanJob, scanJob("kept"))
        let gone = try await store.create(.scanJob, scanJob("gone"))
        let hub = Self.hub(store: store)
        defer { hub.stop() }
        let client = await hub.subscribe(scope: .all)
        #expect(client.initial.first?.data.contains("\"gone\"") == true)
        var changed = kept
        changed[path: "metadata", "resourceVersion"] = "1000"
        changed[path: "status"] = ["phase": "Done"]
        let added = scanJob("added").withUID("uid-added", resourceVersion: "999")
        hub.reset(objects: [changed, added], revision: 1000)
        var seen: [String] = []
        for _ in 0..<3 {
            guard case .event(let event) = await client.buffer.next(waitingAtMost: .seconds(5)) else { break }
            #expect(event.id == "1000")
            seen.append("\(event.name ?? "") \(event.data.contains("\"kept\"") ? "kept" : event.data.contains("\"added\"") ? "added" : "gone")")
        }
        #expect(Set(seen) == ["modified kept", "added added", "deleted gone"], "\(seen)")
        _ = gone
        // A Last-Event-ID from before the relist cannot be replayed: a snapshot instead.
        let late = await hub.subscribe(scope: .all, lastEventID: 999)
        #expect(late.initial.map(\.name) == ["snapshot"])
    }
}

extension JSONValue {
    /// The object with a uid and resourceVersion, as the store would have given it.
    func withUID(_ uid: String, resourceVersion: String) -> JSONValue {
        var copy = self
        copy[path: "metadata", "uid"] = .string(uid)
        copy[path: "metadata", "resourceVersion"] = .string(resourceVersion)
        return copy
    }
}

/// A flag set from another task.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    func set() { lock.withLock { isSet = true } }
    var value: Bool { lock.withLock { isSet } }
}
