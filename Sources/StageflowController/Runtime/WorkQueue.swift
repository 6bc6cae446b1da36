import Foundation
import Metrics

/// A work queue with client-go's semantics: a key is never handed to two workers at once; adding a key that is
/// waiting does nothing; adding a key that is being processed makes it come back once after `done`; failed keys
/// come back after a rate-limited delay.
///
/// Delayed adds wait in one heap per queue, one entry per key at its earliest due time, and one timer
/// (`runDelays`, run by the controller beside its workers) moves them into the queue when due: a thousand
/// requeues cost a thousand heap entries, not a thousand sleeping tasks.
public final class WorkQueue<Key: Hashable & Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var addedAt: [Key: ContinuousClock.Instant] = [:]
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Key?, Never>)] = []
    private var nextWaiterID: UInt64 = 0
    private var delayed = DelayHeap<Key, ContinuousClock.Instant>()
    private var limiter: RateLimiter<Key>
    private var shuttingDown = false
    private let timer = AsyncSignal()
    private let clock = ContinuousClock()
    private let depthGauge: Gauge
    private let addsCounter: Counter
    private let retriesCounter: Counter
    private let latencyTimer: Metrics.Timer

    /// A queue; `name` labels its metrics.
    public init(name: String, rateLimiter: RateLimiter<Key> = RateLimiter()) {
        self.limiter = rateLimiter
        depthGauge = Gauge(label: "stageflow_workqueue_depth", dimensions: [("name", name)])
        addsCounter = Counter(label: "stageflow_workqueue_adds_total", dimensions: [("name", name)])
        retriesCounter = Counter(label: "stageflow_workqueue_retries_total", dimensions: [("name", name)])
        latencyTimer = Metrics.Timer(label: "stageflow_workqueue_queue_duration_seconds", dimensions: [("name", name)])
    }

    /// Keys waiting to be handed out.
    public var depth: Int { lock.withLock { queue.count - head } }

    /// Keys waiting for their delay.
    public var delayedCount: Int { lock.withLock { delayed.count } }

    /// Whether a key is being processed.
    public func isProcessing(_ key: Key) -> Bool { lock.withLock { processing.contains(key) } }

    /// Adds a key (coalescing with a waiting copy).
    public func add(_ key: Key) {
        let handoff = lock.withLock { addLocked(key) }
        handoff?.resume(returning: key)
    }

    /// Adds a key once `delay` has passed; a key already waiting keeps the earlier of the two times.
    public func add(_ key: Key, after delay: Duration) {
        if delay <= .zero {
            add(key)
            return
        }
        let wake: Bool = lock.withLock {
            guard !shuttingDown else { return false }
            return delayed.schedule(key, at: clock.now.advanced(by: delay))
        }
        if wake { timer.signal() }
    }

    /// Adds a key after its rate-limited backoff.
    public func addRateLimited(_ key: Key) {
        retriesCounter.increment()
        let delay = lock.withLock { limiter.when(key, now: clock.now) }
        add(key, after: delay)
    }

    /// Clears the key's backoff.
    public func forget(_ key: Key) {
        lock.withLock { limiter.forget(key) }
    }

    /// Failures counted for a key.
    public func retries(_ key: Key) -> Int { lock.withLock { limiter.retries(key) } }

    /// The next key to process, waiting for one; `nil` once shut down, or when the waiting task is cancelled.
    public func get() async -> Key? {
        // The common case under load: a key is waiting, so no continuation is needed.
        let (ready, id): (Key?, UInt64) = lock.withLock {
            if let key = dequeueLocked() { return (key, 0) }
            nextWaiterID += 1
            return (nil, nextWaiterID)
        }
        if let ready { return ready }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
                let immediate: Key?? = lock.withLock {
                    if let key = dequeueLocked() { return .some(key) }
                    if shuttingDown || Task.isCancelled { return .some(nil) }
                    waiters.append((id, continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Key?, Never>? = lock.withLock {
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index).continuation
            }
            continuation?.resume(returning: nil)
        }
    }

    /// Marks a key processed; it comes back if it was added meanwhile.
    public func done(_ key: Key) {
        let handoff: CheckedContinuation<Key?, Never>? = lock.withLock {
            processing.remove(key)
            guard dirty.contains(key) else { return nil }
            return enqueueLocked(key)
        }
        handoff?.resume(returning: key)
    }

    /// Stops handing out keys: waiting workers get `nil`, delayed keys are dropped and the timer ends.
    public func shutDown() {
        let pending: [CheckedContinuation<Key?, Never>] = lock.withLock {
            shuttingDown = true
            delayed.removeAll()
            defer { waiters = [] }
            return waiters.map(\.continuation)
        }
        for waiter in pending { waiter.resume(returning: nil) }
        timer.signal()
    }

    /// The queue's one timer: moves delayed keys into the queue when they are due, sleeping until the earliest
    /// one (or until an earlier one is added). Returns at shutdown or when the task is cancelled.
    public func runDelays() async {
        while !Task.isCancelled {
            var handoffs: [(CheckedContinuation<Key?, Never>, Key)] = []
            let next: ContinuousClock.Instant?? = lock.withLock {
                if shuttingDown { return .none }
                for key in delayed.popDue(clock.now) {
                    if let waiter = addLocked(key) { handoffs.append((waiter, key)) }
                }
                return .some(delayed.earliest())
            }
            for (waiter, key) in handoffs { waiter.resume(returning: key) }
            guard let next else { return }
            if let due = next {
                await timer.wait(until: due, clock: clock)
            } else {
                await timer.wait()
            }
        }
    }

    // MARK: Under the lock

    /// Adds a key; returns a waiting worker to hand it to (to resume outside the lock).
    private func addLocked(_ key: Key) -> CheckedContinuation<Key?, Never>? {
        guard !shuttingDown, !dirty.contains(key) else { return nil }
        addsCounter.increment()
        dirty.insert(key)
        if addedAt[key] == nil { addedAt[key] = clock.now }
        if processing.contains(key) { return nil }
        return enqueueLocked(key)
    }

    private func enqueueLocked(_ key: Key) -> CheckedContinuation<Key?, Never>? {
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            startLocked(key)
            return waiter.continuation
        }
        queue.append(key)
        depthGauge.record(queue.count - head)
        return nil
    }

    private func dequeueLocked() -> Key? {
        guard head < queue.count else { return nil }
        let key = queue[head]
        head += 1
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        depthGauge.record(queue.count - head)
        startLocked(key)
        return key
    }

    private func startLocked(_ key: Key) {
        processing.insert(key)
        dirty.remove(key)
        if let added = addedAt.removeValue(forKey: key) {
            latencyTimer.recordNanoseconds(Int64(added.duration(to: clock.now).seconds * 1e9))
        }
    }
}
