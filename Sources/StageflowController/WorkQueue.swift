import Foundation
import Metrics

/// A work queue with client-go semantics: a key is never processed by two workers at once; adding a key that is
/// waiting does nothing; adding a key that is being processed makes it run once more after `done`; failed keys
/// come back after a rate-limited delay.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var addedAt: [Key: ContinuousClock.Instant] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var limiter: RateLimiter<Key>
    private var shuttingDown = false
    private let name: String
    private let depthGauge: Gauge
    private let addsCounter: Counter
    private let retriesCounter: Counter
    private let latencyTimer: Metrics.Timer

    /// A queue; `name` labels its metrics.
    public init(name: String, rateLimiter: RateLimiter<Key> = RateLimiter()) {
        self.name = name
        self.limiter = rateLimiter
        depthGauge = Gauge(label: "stageflow_workqueue_depth", dimensions: [("name", name)])
        addsCounter = Counter(label: "stageflow_workqueue_adds_total", dimensions: [("name", name)])
        retriesCounter = Counter(label: "stageflow_workqueue_retries_total", dimensions: [("name", name)])
        latencyTimer = Metrics.Timer(label: "stageflow_workqueue_queue_duration_seconds", dimensions: [("name", name)])
    }

    /// Keys waiting to be processed.
    public var depth: Int { queue.count - head }

    /// Adds a key (coalescing with a waiting copy).
    public func add(_ key: Key) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        addsCounter.increment()
        dirty.insert(key)
        addedAt[key] = addedAt[key] ?? .now
        if processing.contains(key) { return }
        enqueue(key)
    }

    /// Adds a key after a delay.
    public nonisolated func add(_ key: Key, after delay: Duration) {
        if delay <= .zero {
            Task { await self.add(key) }
            return
        }
        Task {
            try? await Task.sleep(for: delay)
            await self.add(key)
        }
    }

    /// Adds a key after its rate-limited backoff.
    public func addRateLimited(_ key: Key) {
        retriesCounter.increment()
        let delay = limiter.when(key)
        add(key, after: delay)
    }

    /// Clears the key's backoff.
    public func forget(_ key: Key) {
        limiter.forget(key)
    }

    /// Failures counted for a key.
    public func retries(_ key: Key) -> Int { limiter.retries(key) }

    /// The next key to process, waiting for one; `nil` once shut down and drained of waiting workers.
    public func get() async -> Key? {
        if let key = dequeue() { return key }
        if shuttingDown { return nil }
        return await withCheckedContinuation { continuation in
            waiters.append(continuation)
        }
    }

    /// Marks a key processed; it runs again if it was added meanwhile.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.contains(key) { enqueue(key) }
    }

    /// Stops handing out keys; waiting workers get `nil`.
    public func shutDown() {
        shuttingDown = true
        let pending = waiters
        waiters = []
        for waiter in pending { waiter.resume(returning: nil) }
    }

    private func enqueue(_ key: Key) {
        if let waiter = waiters.first {
            waiters.removeFirst()
            start(key)
            waiter.resume(returning: key)
            return
        }
        queue.append(key)
        depthGauge.record(depth)
    }

    private func dequeue() -> Key? {
        guard head < queue.count else { return nil }
        let key = queue[head]
        head += 1
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        depthGauge.record(depth)
        start(key)
        return key
    }

    private func start(_ key: Key) {
        processing.insert(key)
        dirty.remove(key)
        if let added = addedAt.removeValue(forKey: key) {
            latencyTimer.recordNanoseconds(Int64(added.duration(to: .now).seconds * 1e9))
        }
    }
}
