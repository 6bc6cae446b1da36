import Foundation
import Logging
import ServiceLifecycle
import StageflowAPI
import StageflowStore

/// The one watch of ScanJobs that feeds every SSE client: it lists the jobs once, then follows a single store
/// watch, keeps the current objects and a bounded history of recent changes, and fans each change out to the
/// clients whose scope it concerns. Pushing to a client never waits (see `SSEClientBuffer`), so one slow
/// browser cannot hold the others up.
final class ScanJobEventHub: Service, @unchecked Sendable {
    /// Which jobs a client follows.
    enum Scope: Sendable, Hashable {
        /// Every job in every namespace.
        case all
        /// The jobs of one namespace.
        case namespace(String)
        /// One job, by uid.
        case job(uid: String)

        func matches(_ object: JSONValue) -> Bool {
            switch self {
            case .all: return true
            case .namespace(let namespace): return object[path: ["metadata", "namespace"]]?.stringValue == namespace
            case .job(let uid): return object[path: ["metadata", "uid"]]?.stringValue == uid
            }
        }
    }

    /// One change as the hub saw it.
    struct Change: Sendable {
        var revision: Int64
        var type: WatchEvent.EventType
        var object: JSONValue
    }

    /// A client's registration: what to send first, then everything from `buffer`.
    struct Subscription: Sendable {
        let id: UUID
        /// A snapshot, or the changes since the client's `Last-Event-ID`.
        let initial: [SSEEvent]
        let buffer: SSEClientBuffer
    }

    /// Sizes of the per-client buffers and of the replay history.
    struct Limits: Sendable {
        var clientBufferCapacity: Int
        var evictAfterOverflows: Int
        var historyCapacity: Int
    }

    private let store: ResourceStore
    private let limits: Limits
    private let logger: Logger
    private let lock = NSLock()
    private var objects: [String: JSONValue] = [:]
    private var history: [Change] = []
    /// Every change after `historyFloor` (up to `revision`) is in `history`.
    private var historyFloor: Int64 = 0
    private var revision: Int64 = 0
    private var primed = false
    private var primedWaiters: [CheckedContinuation<Void, Never>] = []
    private var subscribers: [UUID: (scope: Scope, buffer: SSEClientBuffer)] = [:]
    private var evictions = 0
    private var fanOutNanoseconds: [Int64] = []
    private var follower: Task<Void, Never>?

    init(store: ResourceStore, limits: Limits, logger: Logger) {
        self.store = store
        self.limits = limits
        self.logger = logger
    }

    /// Clients currently subscribed.
    var subscriberCount: Int { lock.withLock { subscribers.count } }
    /// Clients evicted so far for staying full.
    var evictionCount: Int { lock.withLock { evictions } }
    /// How long each fan-out took (the publisher's latency), oldest first, the most recent 10 000.
    var fanOutDurations: [Duration] { lock.withLock { fanOutNanoseconds.map { .nanoseconds($0) } } }

    // MARK: Subscribing

    /// Registers a client. Without `lastEventID` (or when it is older than the history) the first event is a
    /// snapshot of the scope; otherwise the changes after it. Waits until the hub has listed the jobs.
    func subscribe(scope: Scope, lastEventID: Int64? = nil) async -> Subscription {
        start()
        await waitPrimed()
        let buffer = SSEClientBuffer(capacity: limits.clientBufferCapacity, evictAfterOverflows: limits.evictAfterOverflows)
        let id = UUID()
        let initial: [SSEEvent] = lock.withLock {
            subscribers[id] = (scope, buffer)
            if let lastEventID, lastEventID >= historyFloor, lastEventID <= revision {
                return history.filter { $0.revision > lastEventID && scope.matches($0.object) }.map(Self.event)
            }
            return [snapshotLocked(scope)]
        }
        buffer.onClose { [weak self] in self?.unsubscribe(id) }
        return Subscription(id: id, initial: initial, buffer: buffer)
    }

    /// Removes a client (its stream ended).
    func unsubscribe(_ id: UUID) {
        let removed = lock.withLock { subscribers.removeValue(forKey: id) }
        removed?.buffer.close()
    }

    /// The current object of a job, by uid.
    func object(uid: String) async -> JSONValue? {
        start()
        await waitPrimed()
        return lock.withLock { objects[uid] }
    }

    private func snapshotLocked(_ scope: Scope) -> SSEEvent {
        let items = objects.values.filter(scope.matches).sorted { lhs, rhs in
            let l = (lhs[path: ["metadata", "namespace"]]?.stringValue ?? "", lhs[path: ["metadata", "name"]]?.stringValue ?? "")
            let r = (rhs[path: ["metadata", "namespace"]]?.stringValue ?? "", rhs[path: ["metadata", "name"]]?.stringValue ?? "")
            return l < r
        }
        let payload: JSONValue = ["resourceVersion": .string(String(revision)), "items": .array(items)]
        return SSEEvent(id: String(revision), name: "snapshot", data: payload.jsonString())
    }

    private static func event(_ change: Change) -> SSEEvent {
        SSEEvent(id: String(change.revision), name: change.type.rawValue.lowercased(), data: change.object.jsonString())
    }

    // MARK: Publishing

    /// Applies a change and hands it to every client whose scope it concerns, without waiting for any of them.
    /// Changes at or below the hub's revision are ignored (already seen), unless `relisted`: the differences a
    /// relist found, all at the list's revision.
    func publish(_ change: Change, relisted: Bool = false) {
        let clock = ContinuousClock()
        let started = clock.now
        let targets: [(UUID, SSEClientBuffer)] = lock.withLock {
            guard change.revision > revision || relisted else { return [] }
            revision = max(revision, change.revision)
            if let uid = change.object[path: ["metadata", "uid"]]?.stringValue {
                if change.type == .deleted { objects.removeValue(forKey: uid) } else { objects[uid] = change.object }
            }
            history.append(change)
            if history.count > limits.historyCapacity {
                let drop = history.count - limits.historyCapacity
                historyFloor = history[drop - 1].revision
                history.removeFirst(drop)
            }
            return subscribers.compactMap { id, subscriber in
                subscriber.scope.matches(change.object) ? (id, subscriber.buffer) : nil
            }
        }
        if !targets.isEmpty {
            let event = Self.event(change)
            var evicted: [UUID] = []
            for (id, buffer) in targets where buffer.push(event) == .evicted { evicted.append(id) }
            if !evicted.isEmpty {
                lock.withLock {
                    evictions += evicted.count
                    for id in evicted { subscribers.removeValue(forKey: id) }
                }
                logger.info("evicted \(evicted.count) SSE client(s) that stopped reading")
            }
        }
        let elapsed = started.duration(to: clock.now)
        lock.withLock {
            fanOutNanoseconds.append(Int64(elapsed.components.seconds) * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
            if fanOutNanoseconds.count > 10_000 { fanOutNanoseconds.removeFirst(fanOutNanoseconds.count - 10_000) }
        }
    }

    /// Replaces the hub's picture with a fresh list (at start, and after the watch fell behind compaction):
    /// what changed meanwhile is published as changes.
    func reset(objects listed: [JSONValue], revision listedRevision: Int64) {
        let (known, wasPrimed) = lock.withLock { (objects, primed) }
        if !wasPrimed {
            let waiters: [CheckedContinuation<Void, Never>] = lock.withLock {
                for object in listed {
                    if let uid = object[path: ["metadata", "uid"]]?.stringValue { objects[uid] = object }
                }
                revision = listedRevision
                historyFloor = listedRevision
                primed = true
                defer { primedWaiters = [] }
                return primedWaiters
            }
            for waiter in waiters { waiter.resume() }
            return
        }
        // What changed while the watch was lost, each sent with the list's revision: a client that has them is
        // up to date as of that revision.
        var seen = Set<String>()
        for object in listed {
            guard let uid = object[path: ["metadata", "uid"]]?.stringValue else { continue }
            seen.insert(uid)
            if known[uid]?[path: ["metadata", "resourceVersion"]] != object[path: ["metadata", "resourceVersion"]] {
                publish(Change(revision: listedRevision, type: known[uid] == nil ? .added : .modified, object: object), relisted: true)
            }
        }
        for (uid, object) in known where !seen.contains(uid) {
            publish(Change(revision: listedRevision, type: .deleted, object: object), relisted: true)
        }
        lock.withLock {
            revision = max(revision, listedRevision)
            // The changes between the lost watch and the list are unknown: nothing before the list is replayed.
            history = []
            historyFloor = revision
        }
    }

    private func waitPrimed() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = lock.withLock {
                if primed { return true }
                primedWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    // MARK: Following the store

    /// Runs the hub as a service of the application: it follows the store until graceful shutdown.
    func run() async throws {
        start()
        try? await gracefulShutdown()
        stop()
    }

    /// Starts following the store (once; later calls do nothing). The first subscriber starts it too, so the
    /// hub also works where the application's services are not run.
    func start() {
        lock.withLock {
            guard follower == nil else { return }
            follower = Task { [weak self] in try? await self?.follow() }
        }
    }

    /// Stops following the store and ends every client's stream.
    func stop() {
        let (task, buffers) = lock.withLock {
            defer { subscribers = [:] }
            return (follower, subscribers.values.map { $0.buffer })
        }
        task?.cancel()
        for buffer in buffers { buffer.close() }
    }

    /// Lists the jobs, then follows one watch; relists when the watch falls behind compaction or the store is
    /// away for a while.

    private func follow() async throws {
        while !Task.isCancelled {
            do {
                let (objects, listedRevision) = try await listAll()
                reset(objects: objects, revision: listedRevision)
                let watch = try await store.watch(.scanJob, namespace: nil, from: listedRevision)
                var iterator = watch.makeAsyncIterator()
                while !Task.isCancelled {
                    guard let event = try await iterator.next(waitingAtMost: .seconds(30)) else { continue }
                    publish(Change(revision: event.revision, type: event.type, object: event.object))
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("the ScanJob event hub lost its watch, relisting: \(error)")
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func listAll() async throws -> ([JSONValue], Int64) {
        var options = ListOptions()
        var objects: [JSONValue] = []
        var revision: Int64?
        repeat {
            let page = try await store.list(.scanJob, namespace: nil, options: options)
            objects.append(contentsOf: page.items)
            revision = revision ?? page.resourceVersion
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        return (objects, revision ?? 0)
    }
}
