import Foundation
import StageflowAPI

/// One reader of the revision log shared by every watcher of a store: it pulls new events once, keeps the most
/// recent ones in memory, and wakes waiting watchers. Watchers that fall behind the buffer read the backend
/// directly, so a slow watcher costs only itself.
actor WatchHub {
    /// A log entry decoded once, with its `resourceVersion` set, shared by every watcher.
    struct Entry: Sendable {
        var revision: Int64
        var type: WatchEvent.EventType
        var key: ObjectKey
        var object: JSONValue
    }

    private let backend: any StorageBackend
    private let capacity: Int
    private var buffer: [Entry] = []
    /// Every event with a revision above `floor` and at most `latest` is in `buffer`.
    private var floor: Int64 = 0
    private var latest: Int64 = 0
    private let waiters = WatchWaiters()
    private var pulling = false
    private var pullAgain = false
    private var finished = false

    init(backend: any StorageBackend, capacity: Int) {
        self.backend = backend
        self.capacity = max(capacity, 16)
    }

    /// Starts the buffer at the backend's current revision.
    func prime() async throws {
        latest = try await backend.currentRevision()
        floor = latest
    }

    /// Stops waking watchers; waiting ones return.
    func finish() {
        finished = true
        wakeAll()
    }

    /// Pulls after a local write.
    func nudge() async {
        await pull()
    }

    /// Reads new events from the backend into the buffer and wakes watchers. Concurrent calls coalesce.
    func pull() async {
        if pulling {
            pullAgain = true
            return
        }
        pulling = true
        defer { pulling = false }
        repeat {
            pullAgain = false
            do {
                while true {
                    let batch = try await backend.events(after: latest, limit: 1000)
                    guard let last = batch.last else { break }
                    buffer.append(contentsOf: batch.compactMap(Self.entry))
                    latest = last.revision
                    if buffer.count > capacity {
                        let drop = buffer.count - capacity
                        floor = buffer[drop - 1].revision
                        buffer.removeFirst(drop)
                    }
                    if batch.count < 1000 { break }
                }
            } catch {
                // The database is away; the next poll tries again and nothing is skipped.
                break
            }
            wakeAll()
        } while pullAgain
    }

    /// Events after `cursor`, oldest first, at most `limit`; from memory when buffered, else from the backend.
    /// Throws 410 `Expired` when `cursor` was compacted away.
    func events(after cursor: Int64, limit: Int) async throws -> [Entry] {
        if cursor >= floor {
            var low = 0
            var high = buffer.count
            while low < high {
                let middle = (low + high) / 2
                if buffer[middle].revision <= cursor { low = middle + 1 } else { high = middle }
            }
            return Array(buffer[low..<min(buffer.count, low + limit)])
        }
        let batch = try await backend.events(after: cursor, limit: limit)
        let compacted = try await backend.compactedRevision()
        if cursor < compacted {
            throw APIStatus.expired("too old resource version: \(cursor) (\(compacted))")
        }
        return batch.compactMap(Self.entry)
    }

    /// Decodes a log entry; an undecodable one (never written by this store) is skipped.
    static func entry(_ change: ChangeEvent) -> Entry? {
        guard let object = try? ResourceStore.decode(change.value, revision: change.revision) else { return nil }
        let type: WatchEvent.EventType =
            switch change.kind {
            case .added: .added
            case .modified: .modified
            case .deleted: .deleted
            }
        return Entry(revision: change.revision, type: type, key: change.key, object: object)
    }

    /// The newest revision pulled so far.
    var latestRevision: Int64 { latest }

    /// Returns once an event after `cursor` is buffered, the timeout passes, or the task is cancelled. The
    /// timeout is a child task that ends with the wait, so a watcher woken early leaves nothing sleeping behind.
    func wait(after cursor: Int64, timeout: Duration) async {
        if latest > cursor || finished || Task.isCancelled { return }
        let waiter = waiters.register()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await waiter.wait() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        waiters.remove(waiter)
    }

    private func wakeAll() {
        waiters.wakeAll()
    }
}

/// The watchers waiting for the next pull, behind a lock so that a cancelled wait ends at once without a hop
/// onto the hub's actor.
final class WatchWaiters: @unchecked Sendable {
    /// One watcher's wait: woken by `wakeAll`, or ended by cancellation.
    final class Waiter: @unchecked Sendable {
        fileprivate let lock = NSLock()
        fileprivate var woken = false
        fileprivate var continuation: CheckedContinuation<Void, Never>?

        /// Returns once woken (also when woken before the call), or when the task is cancelled.
        func wait() async {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow: Bool = lock.withLock {
                        if woken || Task.isCancelled { return true }
                        self.continuation = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                wake()
            }
        }

        fileprivate func wake() {
            let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
                woken = true
                defer { self.continuation = nil }
                return self.continuation
            }
            continuation?.resume()
        }
    }

    private let lock = NSLock()
    private var waiting: [ObjectIdentifier: Waiter] = [:]

    /// A new waiter, woken by the next `wakeAll`.
    func register() -> Waiter {
        let waiter = Waiter()
        lock.withLock { waiting[ObjectIdentifier(waiter)] = waiter }
        return waiter
    }

    /// Forgets a waiter whose wait is over.
    func remove(_ waiter: Waiter) {
        _ = lock.withLock { waiting.removeValue(forKey: ObjectIdentifier(waiter)) }
    }

    /// Wakes every registered waiter.
    func wakeAll() {
        let current: [Waiter] = lock.withLock {
            defer { waiting = [:] }
            return Array(waiting.values)
        }
        for waiter in current { waiter.wake() }
    }
}

/// A watch on one kind of resource: an `AsyncSequence` of changes in revision order. Pull-based, so a slow
/// consumer never makes the store buffer without bound.
public struct ResourceWatch: AsyncSequence, Sendable {
    public typealias Element = StoreEvent

    let hub: WatchHub
    let resource: String
    let namespace: String?
    let cursor: Int64
    let initial: [StoreEvent]

    public func makeAsyncIterator() -> Iterator {
        Iterator(hub: hub, resource: resource, namespace: namespace, cursor: cursor, pending: initial[...])
    }

    /// Iterates a watch; `next(waitingAtMost:)` lets a caller send bookmarks while nothing happens.
    public struct Iterator: AsyncIteratorProtocol {
        let hub: WatchHub
        let resource: String
        let namespace: String?
        /// The revision up to which every change has been seen.
        public private(set) var cursor: Int64
        var pending: ArraySlice<StoreEvent>

        init(hub: WatchHub, resource: String, namespace: String?, cursor: Int64, pending: ArraySlice<StoreEvent>) {
            self.hub = hub
            self.resource = resource
            self.namespace = namespace
            self.cursor = cursor
            self.pending = pending
        }

        /// The next change; `nil` only when the task is cancelled.
        public mutating func next() async throws -> StoreEvent? {
            while !Task.isCancelled {
                if let event = try await next(waitingAtMost: .seconds(60)) { return event }
            }
            return nil
        }

        /// The next change, or `nil` when none arrives within `timeout` (or the task is cancelled).
        public mutating func next(waitingAtMost timeout: Duration) async throws -> StoreEvent? {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while true {
                if let event = pending.popFirst() { return event }
                let batch = try await hub.events(after: cursor, limit: 500)
                for entry in batch {
                    cursor = entry.revision
                    guard entry.key.resource == resource, namespace == nil || entry.key.namespace == namespace
                    else { continue }
                    pending.append(StoreEvent(type: entry.type, object: entry.object, revision: entry.revision))
                }
                if !pending.isEmpty || !batch.isEmpty { continue }
                let now = ContinuousClock.now
                if now >= deadline || Task.isCancelled { return nil }
                await hub.wait(after: cursor, timeout: now.duration(to: deadline))
            }
        }
    }
}
