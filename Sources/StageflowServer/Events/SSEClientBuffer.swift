import Foundation

/// The queue between the event hub and one SSE client: bounded, and never blocking the publisher. When it is
/// full, the oldest event is dropped to make room; a client that stays full (more than `evictAfterOverflows`
/// drops in a row without reading anything) is evicted: its queue is emptied and closed, and its stream ends so
/// that the browser reconnects with `Last-Event-ID` and is brought up to date from the hub's history.
final class SSEClientBuffer: @unchecked Sendable {
    /// What a push did.
    enum PushResult: Sendable, Equatable {
        /// Queued.
        case queued
        /// Queued after dropping the oldest queued event.
        case droppedOldest
        /// This push evicted the client; nothing was queued.
        case evicted
        /// The buffer was already closed; nothing was queued.
        case closed
    }

    /// What a read gave.
    enum Next: Sendable, Equatable {
        /// The next event.
        case event(SSEEvent)
        /// Nothing arrived within the wait (time for a keepalive).
        case idle
        /// The buffer is closed: by the server, or because the client was evicted.
        case closed(evicted: Bool)
    }

    /// Most events held.
    let capacity: Int
    /// Drops in a row, without a read in between, after which the client is evicted.
    let evictAfterOverflows: Int

    private let lock = NSLock()
    private var queue: [SSEEvent] = []
    private var head = 0
    private var consecutiveOverflows = 0
    private var dropped = 0
    private var isClosed = false
    private var evicted = false
    private var waiter: (id: UUID, continuation: CheckedContinuation<Next, Never>)?
    private var closeHandlers: [@Sendable () -> Void] = []

    init(capacity: Int, evictAfterOverflows: Int) {
        self.capacity = max(1, capacity)
        self.evictAfterOverflows = max(1, evictAfterOverflows)
    }

    /// Events dropped so far because the buffer was full.
    var droppedCount: Int { lock.withLock { dropped } }
    /// Whether the client was evicted for staying full.
    var wasEvicted: Bool { lock.withLock { evicted } }
    /// Events waiting to be read.
    var count: Int { lock.withLock { queue.count - head } }

    /// Adds an event without ever waiting.
    @discardableResult
    func push(_ event: SSEEvent) -> PushResult {
        var handlers: [@Sendable () -> Void] = []
        let (result, resumed): (PushResult, CheckedContinuation<Next, Never>?) = lock.withLock {
            if isClosed { return (.closed, nil) }
            if let waiter {
                self.waiter = nil
                return (.queued, waiter.continuation)
            }
            var result = PushResult.queued
            if queue.count - head >= capacity {
                consecutiveOverflows += 1
                dropped += 1
                if consecutiveOverflows > evictAfterOverflows {
                    evicted = true
                    handlers = closeLocked()
                    return (.evicted, nil)
                }
                head += 1
                result = .droppedOldest
            }
            queue.append(event)
            compactLocked()
            return (result, nil)
        }
        resumed?.resume(returning: .event(event))
        for handler in handlers { handler() }
        return result
    }

    /// The next event, waiting at most `timeout` for one.
    func next(waitingAtMost timeout: Duration) async -> Next {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Next, Never>) in
                let immediate: Next? = lock.withLock {
                    consecutiveOverflows = 0
                    if head < queue.count {
                        let event = queue[head]
                        head += 1
                        compactLocked()
                        return .event(event)
                    }
                    if isClosed { return .closed(evicted: evicted) }
                    if Task.isCancelled { return .closed(evicted: false) }
                    waiter = (id, continuation)
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.resumeWaiter(id, with: .idle)
                }
            }
        } onCancel: {
            resumeWaiter(id, with: .closed(evicted: false))
        }
    }

    /// Closes the buffer: queued events are discarded and readers see `.closed`.
    func close() {
        let handlers = lock.withLock { closeLocked() }
        for handler in handlers { handler() }
    }

    /// Runs `handler` once the buffer closes (at once when it already has).
    func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = lock.withLock {
            if isClosed { return true }
            closeHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    private func resumeWaiter(_ id: UUID, with next: Next) {
        let continuation: CheckedContinuation<Next, Never>? = lock.withLock {
            guard let waiter, waiter.id == id else { return nil }
            self.waiter = nil
            return waiter.continuation
        }
        continuation?.resume(returning: next)
    }

    /// Must hold the lock. Returns the close handlers to run once the lock is released.
    private func closeLocked() -> [@Sendable () -> Void] {
        guard !isClosed else { return [] }
        isClosed = true
        queue = []
        head = 0
        if let waiter {
            self.waiter = nil
            let evicted = self.evicted
            // Resumed outside of any await; the continuation only hands over a value.
            waiter.continuation.resume(returning: .closed(evicted: evicted))
        }
        defer { closeHandlers = [] }
        return closeHandlers
    }

    /// Must hold the lock: reclaims the space of read events once they are half the storage.
    private func compactLocked() {
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }
}
