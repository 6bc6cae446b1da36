import Foundation
import Logging
import Metrics
import StageflowAPI

/// Runs a reconciler: informers feed keys into a work queue, and N workers reconcile them, never one key on two
/// workers at once. Errors back off exponentially per key; terminal errors are not retried; successes forget the
/// key's backoff.
public final class Controller: Sendable {
    /// Name used in logs and metrics.
    public let name: String
    /// The queue of keys.
    public let queue: WorkQueue<ObjectName>
    private let informers: [Informer]
    private let reconciler: any Reconciler
    private let workers: Int
    private let logger: Logger

    /// A controller over `informers`, whose changes (by default) enqueue the changed object's own key; add
    /// more mappings with `Informer.addHandler` before `run()`.
    public init(
        name: String, primary: Informer, secondary: [Informer] = [], reconciler: any Reconciler, workers: Int = 2,
        logger: Logger
    ) {
        self.name = name
        self.queue = WorkQueue(name: name)
        self.informers = [primary] + secondary
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.logger = logger
        let queue = self.queue
        primary.addHandler { change in
            if let key = ObjectName(of: change.object) {
                Task { await queue.add(key) }
            }
        }
    }

    /// Runs informers and workers until the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for informer in informers {
                group.addTask { await informer.run() }
            }
            for informer in informers { await informer.waitForSync() }
            for index in 0..<workers {
                group.addTask { await self.work(index) }
            }
            await withTaskCancellationHandler {
                await group.waitForAll()
            } onCancel: {
                let queue = self.queue
                Task { await queue.shutDown() }
            }
        }
    }

    private func work(_ index: Int) async {
        while let key = await queue.get() {
            let start = ContinuousClock.now
            let outcome: String
            do {
                let result = try await reconciler.reconcile(key)
                await queue.forget(key)
                switch result {
                case .done:
                    outcome = "success"
                case .requeue(let delay):
                    outcome = "requeue"
                    queue.add(key, after: delay)
                }
            } catch let error as TerminalError {
                outcome = "terminal_error"
                await queue.forget(key)
                logger.error("\(name): \(key): \(error) (not retried)")
            } catch {
                outcome = "error"
                logger.warning("\(name): \(key): \(error); retrying with backoff")
                await queue.addRateLimited(key)
            }
            await queue.done(key)
            Metrics.Timer(label: "stageflow_reconcile_duration_seconds", dimensions: [("controller", name), ("outcome", outcome)])
                .recordNanoseconds(Int64(start.duration(to: .now).seconds * 1e9))
            if Task.isCancelled { break }
        }
    }
}
