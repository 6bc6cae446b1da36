import Foundation
import Logging
import StageflowAPI

/// Keeps a local cache of one kind in step with the API and tells handlers what changed: LIST, then WATCH from the
/// list's revision; a watch that ends or fails is resumed from the last revision seen, and only a 410 `Expired`
/// (the revision was compacted away) makes it LIST again. A periodic resync replays the cache to the handlers
/// without touching the API; it runs as a child of `run()` and ends with it.
public final class Informer: Sendable {
    /// What a handler is told.
    public enum Change: Sendable {
        case added(JSONValue)
        case updated(old: JSONValue?, new: JSONValue)
        case deleted(JSONValue)
        case resync(JSONValue)

        /// The object concerned.
        public var object: JSONValue {
            switch self {
            case .added(let object), .deleted(let object), .resync(let object): return object
            case .updated(_, let new): return new
            }
        }
    }

    /// The kind watched.
    public let kind: ResourceKind
    /// The local copy.
    public let cache = ObjectCache()
    private let client: any ResourceClient
    private let namespace: String?
    private let resyncInterval: Duration?
    private let logger: Logger
    private let handlers = InformerHandlers()
    private let synced = Latch()

    /// An informer of `kind` (in one namespace, or all).
    public init(
        client: any ResourceClient, kind: ResourceKind, namespace: String? = nil, resyncInterval: Duration? = .seconds(300),
        logger: Logger
    ) {
        self.client = client
        self.kind = kind
        self.namespace = namespace
        self.resyncInterval = resyncInterval
        self.logger = logger
    }

    /// Registers a handler, which is first told of every object already cached (as `.added`); returns the
    /// registration to pass to `removeHandler`.
    @discardableResult
    public func addHandler(_ handler: @escaping @Sendable (Change) -> Void) -> HandlerRegistration {
        handlers.add(handler, replaying: { cache.list() })
    }

    /// Stops telling a handler of changes.
    public func removeHandler(_ registration: HandlerRegistration) {
        handlers.remove(registration)
    }

    /// Whether the first LIST has filled the cache.
    public var hasSynced: Bool { synced.isOpen }

    /// Waits until the first LIST has filled the cache, or the task is cancelled.
    public func waitForSync() async {
        await synced.wait()
    }

    /// Replays every cached object to the handlers as `.resync`, without touching the API: a level-triggered
    /// safety net that re-reconciles everything.
    public func resync() {
        for object in cache.list() { handlers.notify(.resync(object)) }
    }

    /// Lists and watches (and resyncs) until the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if let resyncInterval {
                group.addTask { [self] in
                    while true {
                        do {
                            try await Task.sleep(for: resyncInterval)
                        } catch {
                            return
                        }
                        resync()
                    }
                }
            }
            await listAndWatch()
            group.cancelAll()
        }
    }

    private func listAndWatch() async {
        var revision: Int64?
        var failures = 0
        while !Task.isCancelled {
            do {
                if revision == nil { revision = try await relist() }
                var cursor = revision ?? 0
                defer { revision = revision == nil ? nil : cursor }
                if try await watch(from: &cursor) > 0 {
                    failures = 0
                    continue
                }
                // A watch that ended without a single event (a server shutting down ends them at once) is retried
                // after a pause, not in a tight loop.
                failures += 1
                try await Task.sleep(for: .milliseconds(Int(min(0.2 * pow(2, Double(min(failures, 6))), 10) * 1000)))
            } catch let status as APIStatus where status.code == 410 {
                logger.info("\(kind.plural) informer: \(status.message); listing again")
                revision = nil
            } catch {
                if Task.isCancelled { return }
                failures += 1
                let delay = min(0.2 * pow(2, Double(min(failures, 6))), 10)
                logger.warning("\(kind.plural) informer: \(error); watching again in \(delay) s")
                do {
                    try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                } catch {
                    return
                }
            }
        }
    }

    /// Replaces the cache with a fresh LIST, telling the handlers what differs; returns the list's revision.
    private func relist() async throws -> Int64 {
        let (items, revision) = try await client.list(kind, namespace: namespace, options: ListOptions())
        let previous = Dictionary(
            cache.list().compactMap { object in ObjectName(of: object).map { ($0, object) } }, uniquingKeysWith: { first, _ in first })
        let (removed, current) = cache.replace(items)
        for object in removed { handlers.notify(.deleted(object)) }
        for object in current {
            guard let name = ObjectName(of: object) else { continue }
            if let old = previous[name] {
                if old != object { handlers.notify(.updated(old: old, new: object)) }
            } else {
                handlers.notify(.added(object))
            }
        }
        synced.open()
        return revision
    }

    /// Applies watch events after `cursor`, advancing it; returns, when the stream ends, how many events it had.
    private func watch(from cursor: inout Int64) async throws -> Int {
        let stream = try await client.watch(kind, namespace: namespace, options: ListOptions(resourceVersion: String(cursor)))
        var events = 0
        for try await event in stream {
            events += 1
            if let revision = Int64(event.object[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""), revision > cursor {
                cursor = revision
            }
            guard let name = ObjectName(of: event.object) else { continue }
            switch event.type {
            case .deleted:
                cache.apply(StoreEventLike(object: event.object, isDeletion: true))
                handlers.notify(.deleted(event.object))
            case .added, .modified:
                let old = cache.get(name)
                guard cache.apply(StoreEventLike(object: event.object, isDeletion: false)) else { continue }
                handlers.notify(old == nil ? .added(event.object) : .updated(old: old, new: event.object))
            case .bookmark, .error:
                continue
            }
        }
        return events
    }
}

/// A handler's registration with an informer.
public struct HandlerRegistration: Hashable, Sendable {
    let id: UInt64
}

/// The handlers of an informer behind a lock.
final class InformerHandlers: @unchecked Sendable {
    private let lock = NSLock()
    private var handlers: [(id: UInt64, handler: @Sendable (Informer.Change) -> Void)] = []
    private var nextID: UInt64 = 0

    func add(_ handler: @escaping @Sendable (Informer.Change) -> Void, replaying cached: () -> [JSONValue]) -> HandlerRegistration {
        let id: UInt64 = lock.withLock {
            nextID += 1
            handlers.append((nextID, handler))
            return nextID
        }
        for object in cached() { handler(.added(object)) }
        return HandlerRegistration(id: id)
    }

    func remove(_ registration: HandlerRegistration) {
        lock.withLock { handlers.removeAll { $0.id == registration.id } }
    }

    func notify(_ change: Informer.Change) {
        let current = lock.withLock { handlers }
        for entry in current { entry.handler(change) }
    }
}
