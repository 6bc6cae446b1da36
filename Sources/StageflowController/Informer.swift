import Foundation
import Logging
import StageflowAPI
import StageflowStore

/// Keeps a local cache of one kind in step with the API (LIST, then WATCH from the list's revision; on any
/// watch failure, including 410 Expired, LIST again) and tells handlers which keys changed. A periodic resync
/// replays the cache to the handlers without touching the API.
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
    private let state = InformerState()

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

    /// Registers a handler; call before `run()`.
    public func addHandler(_ handler: @escaping @Sendable (Change) -> Void) {
        state.addHandler(handler)
    }

    /// Whether the first LIST has filled the cache.
    public var hasSynced: Bool { state.synced }

    /// Waits until the first LIST has filled the cache.
    public func waitForSync() async {
        while !state.synced, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Replays every cached object to the handlers as `.resync`, without touching the API: a level-triggered
    /// safety net that re-reconciles everything.
    public func resync() {
        for object in cache.list() { state.notify(.resync(object)) }
    }

    /// Runs until cancelled.
    public func run() async {
        if let resyncInterval {
            Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: resyncInterval)
                    self?.resync()
                }
            }
        }
        var failures = 0
        while !Task.isCancelled {
            do {
                let (items, revision) = try await client.list(kind, namespace: namespace)
                failures = 0
                let previous = Dictionary(cache.list().compactMap { object in ObjectName(of: object).map { ($0, object) } }, uniquingKeysWith: { a, _ in a })
                let (removed, current) = cache.replace(items)
                state.markSynced()
                for object in removed { state.notify(.deleted(object)) }
                for object in current {
                    guard let name = ObjectName(of: object) else { continue }
                    if let old = previous[name] {
                        if old != object { state.notify(.updated(old: old, new: object)) }
                    } else {
                        state.notify(.added(object))
                    }
                }
                try await watch(from: revision)
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                failures += 1
                let delay = min(0.2 * pow(2, Double(min(failures, 6))), 10)
                logger.warning("\(kind.plural) informer: \(error); listing again in \(delay) s")
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            }
        }
    }

    private func watch(from revision: Int64) async throws {
        let stream = try await client.watch(kind, namespace: namespace, from: revision)
        for try await event in stream {
            guard let name = ObjectName(of: event.object) else { continue }
            let old = cache.get(name)
            switch event.type {
            case .deleted:
                cache.apply(StoreEventLike(object: event.object, isDeletion: true))
                state.notify(.deleted(event.object))
            case .added, .modified:
                cache.apply(StoreEventLike(object: event.object, isDeletion: false))
                state.notify(old == nil ? .added(event.object) : .updated(old: old, new: event.object))
            default:
                continue
            }
        }
        if !Task.isCancelled { throw WatchEnded() }
    }
}

/// The watch stream ended; the informer lists again.
struct WatchEnded: Error, CustomStringConvertible {
    var description: String { "watch ended" }
}

/// Mutable state of an informer behind a lock.
final class InformerState: @unchecked Sendable {
    private let lock = NSLock()
    private var handlers: [@Sendable (Informer.Change) -> Void] = []
    private var isSynced = false

    func addHandler(_ handler: @escaping @Sendable (Informer.Change) -> Void) {
        lock.withLock { handlers.append(handler) }
    }

    func notify(_ change: Informer.Change) {
        let current = lock.withLock { handlers }
        for handler in current { handler(change) }
    }

    func markSynced() { lock.withLock { isSynced = true } }

    var synced: Bool { lock.withLock { isSynced } }
}
