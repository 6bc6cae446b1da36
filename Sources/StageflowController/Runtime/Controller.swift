import Foundation
import Logging
import Metrics
import StageflowAPI

/// Runs a reconciler: informers' changes are mapped to keys in a work queue, and N workers reconcile them, never
/// one key on two workers at once. Errors back off exponentially per key; terminal errors are not retried;
/// successes forget the key's backoff; `requeue(after:)` waits in the queue's delay heap.
///
/// A controller is started once. Its queue exists only while `run()` runs, so a process that loses and regains
/// its lease builds a fresh controller (see `ControllerManager`) instead of reviving a stopped one.
public final class Controller<Key: Hashable & Sendable>: Runnable {
    /// Name used in logs and metrics.
    public let name: String
    private let reconciler: any Reconciler<Key>
    private let workers: Int
    private let rateLimiter: RateLimiter<Key>
    private let logger: Logger
    private let state = ControllerSources<Key>()

    /// A controller running `reconciler` on `workers` workers; say what to watch with `watch` before `run()`.
    public init(
        name: String, reconciler: any Reconciler<Key>, workers: Int = 2, rateLimiter: RateLimiter<Key> = RateLimiter(),
        logger: Logger
    ) {
        self.name = name
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.rateLimiter = rateLimiter
        self.logger = logger
    }

    /// Watches an informer: each change is mapped to the keys to reconcile (none, one or several). With
    /// `resync: false` the informer's periodic resyncs are ignored.
    public func watch(_ informer: Informer, resync: Bool = true, _ map: @escaping @Sendable (Informer.Change) -> [Key]) {
        state.add(ControllerSources<Key>.Source(informer: informer, resync: resync, map: map))
    }

    /// Reconciles the keys `map` gives for each element of `channel`: wake-ups from outside the API (a container
    /// that ended), as controller-runtime's channel source. The stream is read while `run()` runs.
    public func watch<Element: Sendable>(channel: AsyncStream<Element>, _ map: @escaping @Sendable (Element) -> [Key]) {
        state.addChannel { queue in
            for await element in channel {
                for key in map(element) { queue.add(key) }
            }
        }
    }

    /// Tells `report` of every failed reconcile (before its retry), to record it where people look — an Event on
    /// the object, say.
    public func reportFailures(_ report: @escaping @Sendable (Key, any Error) -> Void) {
        state.setFailureReport(report)
    }

    /// Waits for the watched informers' caches (run elsewhere, by the manager), then reconciles until the task is
    /// cancelled. The queue and its delay timer live and end inside this call.
    public func run() async throws {
        guard state.start() else { throw ControllerError.alreadyStarted(name) }
        let queue = WorkQueue<Key>(name: name, rateLimiter: rateLimiter)
        let sources = state.sources
        let channels = state.channels
        let report = state.failureReport
        let registrations = sources.map { source in
            let map = source.map
            let resync = source.resync
            return source.informer.addHandler { change in
                if case .resync = change, !resync { return }
                for key in map(change) { queue.add(key) }
            }
        }
        defer {
            for (source, registration) in zip(sources, registrations) { source.informer.removeHandler(registration) }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.runDelays() }
            for channel in channels { group.addTask { await channel(queue) } }
            for source in sources { await source.informer.waitForSync() }
            if !Task.isCancelled {
                logger.debug("\(name): caches synced; starting \(workers) workers")
                for _ in 0..<workers {
                    group.addTask { await self.work(queue, report: report) }
                }
            }
            // Workers and the timer end when the task is cancelled; shutting the queue down then drops what waits.
            for await _ in group {}
            queue.shutDown()
        }
    }

    private func work(_ queue: WorkQueue<Key>, report: (@Sendable (Key, any Error) -> Void)?) async {
        while let key = await queue.get() {
            let start = ContinuousClock.now
            let outcome: String
            do {
                let result = try await reconciler.reconcile(key)
                queue.forget(key)
                switch result {
                case .done:
                    outcome = "success"
                case .requeue(let delay):
                    outcome = "requeue"
                    queue.add(key, after: delay)
                }
            } catch let error as TerminalError {
                outcome = "terminal_error"
                queue.forget(key)
                logger.error("\(name): \(key): \(error) (not retried)")
                report?(key, error)
            } catch {
                if Task.isCancelled {
                    queue.done(key)
                    return
                }
                outcome = "error"
                logger.warning("\(name): \(key): \(error); retrying with backoff")
                report?(key, error)
                queue.addRateLimited(key)
            }
            queue.done(key)
            Metrics.Timer(label: "stageflow_reconcile_duration_seconds", dimensions: [("controller", name), ("outcome", outcome)])
                .recordNanoseconds(Int64(start.duration(to: .now).seconds * 1e9))
            if Task.isCancelled { return }
        }
    }
}

extension Controller {
    /// Waits for an informer's cache before reconciling (the reconciler reads it) without reacting to its changes.
    public func needsCache(_ informer: Informer) {
        watch(informer, resync: false) { _ in [] }
    }
}

extension Controller where Key == ObjectName {
    /// Reconciles each object of the informer's kind by its own key.
    public func watchPrimary(_ informer: Informer) {
        watch(informer) { change in ObjectName(of: change.object).map { [$0] } ?? [] }
    }

    /// Reconciles the owner of each object of the informer's kind: the object named by its controller owner
    /// reference of kind `ownerKind` (in the same namespace), so a controller learns of changes to what it created.
    public func watchOwned(_ informer: Informer, ownerKind: ResourceKind) {
        watch(informer, resync: false) { change in
            Self.bothSides(of: change) { ObjectName.controllerOwner(of: $0, kind: ownerKind) }
        }
    }

    /// Reconciles, for each object of the informer's kind carrying `label`, the object named by the label's value
    /// in the same namespace (a ScanJob labelled `stageflow.dev/schedule=nightly` → the schedule `nightly`).
    public func watchLabeled(_ informer: Informer, label: String) {
        watch(informer, resync: false) { change in
            Self.bothSides(of: change) { object in
                object[path: ["metadata", "labels", label]]?.stringValue.map {
                    ObjectName(namespace: object[path: ["metadata", "namespace"]]?.stringValue, name: $0)
                }
            }
        }
    }

    /// The keys `key` finds in a change's object and, for an update, in the object before it (so the primary
    /// an object was moved away from hears of it too).
    static func bothSides(of change: Informer.Change, _ key: (JSONValue) -> ObjectName?) -> [ObjectName] {
        var keys = key(change.object).map { [$0] } ?? []
        if case .updated(let old?, _) = change, let before = key(old), !keys.contains(before) { keys.append(before) }
        return keys
    }
}

/// The watches of a controller and whether it has started, behind a lock.
final class ControllerSources<Key: Hashable & Sendable>: @unchecked Sendable {
    struct Source {
        var informer: Informer
        var resync: Bool
        var map: @Sendable (Informer.Change) -> [Key]
    }

    private let lock = NSLock()
    private var list: [Source] = []
    private var channelReaders: [@Sendable (WorkQueue<Key>) async -> Void] = []
    private var started = false
    private var report: (@Sendable (Key, any Error) -> Void)?

    func add(_ source: Source) {
        lock.withLock { list.append(source) }
    }

    var sources: [Source] { lock.withLock { list } }

    func addChannel(_ reader: @escaping @Sendable (WorkQueue<Key>) async -> Void) {
        lock.withLock { channelReaders.append(reader) }
    }

    var channels: [@Sendable (WorkQueue<Key>) async -> Void] { lock.withLock { channelReaders } }

    func setFailureReport(_ report: @escaping @Sendable (Key, any Error) -> Void) {
        lock.withLock { self.report = report }
    }

    var failureReport: (@Sendable (Key, any Error) -> Void)? { lock.withLock { report } }

    /// Marks the controller started; false if it already was.
    func start() -> Bool {
        lock.withLock {
            if started { return false }
            started = true
            return true
        }
    }
}
