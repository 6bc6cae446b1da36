/// The journeys under way in this process, by job uid and scanner. Each runs as a child of the pool's `run()`, which
/// runs inside the controller's own task, so that when the controller stops (the lease is lost, the process shuts
/// down) every journey stops with it and writes nothing. At most `maxJourneys` walk at once; the others wait their
/// turn in the order they came.
actor JourneyPool {
    /// A journey: one scanner of one job.
    struct Key: Hashable, Sendable {
        var uid: String
        var scanner: String
    }

    private struct Start: Sendable {
        var key: Key
        var work: @Sendable () async -> Void
    }

    private let maxJourneys: Int
    private var active: [Key: Task<Void, Never>?] = [:]
    private var walking = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private let starts: AsyncStream<Start>
    private let startContinuation: AsyncStream<Start>.Continuation

    /// A pool walking at most `maxJourneys` at once.
    init(maxJourneys: Int) {
        self.maxJourneys = max(1, maxJourneys)
        (starts, startContinuation) = AsyncStream<Start>.makeStream()
    }

    /// Whether a journey of `key` is under way (or waiting its turn) here.
    func isActive(_ key: Key) -> Bool { active.keys.contains(key) }

    /// Journeys under way or waiting.
    var count: Int { active.count }

    /// Starts `work` as the journey of `key`, unless one is already under way. Returns whether it was started.
    @discardableResult
    func start(_ key: Key, _ work: @escaping @Sendable () async -> Void) -> Bool {
        guard active[key] == nil else { return false }
        active[key] = .some(nil)
        startContinuation.yield(Start(key: key, work: work))
        return true
    }

    /// Stops the journeys of a job (it left Scanning, or was deleted); they write nothing.
    func cancel(uid: String) {
        for (key, task) in active where key.uid == uid { task?.cancel() }
    }

    private func register(_ key: Key, _ task: Task<Void, Never>) {
        if active[key] != nil { active[key] = task }
    }

    private func finished(_ key: Key) {
        active.removeValue(forKey: key)
    }

    private func acquire() async {
        if walking < maxJourneys {
            walking += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            walking -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs the journeys started, until the task is cancelled (which cancels them all).
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for await start in starts {
                group.addTask {
                    await self.acquire()
                    let task = Task { await start.work() }
                    await self.register(start.key, task)
                    if Task.isCancelled { task.cancel() }
                    await withTaskCancellationHandler {
                        await task.value
                    } onCancel: {
                        task.cancel()
                    }
                    await self.release()
                    await self.finished(start.key)
                }
            }
            group.cancelAll()
        }
    }

    /// Ends `run()` once the journeys under way have stopped.
    nonisolated func shutDown() {
        startContinuation.finish()
    }
}
