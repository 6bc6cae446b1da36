import Foundation

/// A wake-up call between tasks: `signal()` wakes the one task waiting in `wait`, or the next one to wait if none
/// is. Waiting ends at a signal, at a deadline, or when the waiting task is cancelled, and leaves no task behind:
/// the deadline is a child task that ends with the wait.
final class AsyncSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
    private var nextID: UInt64 = 0

    /// Wakes the waiter (or remembers the call for the next one).
    func signal() {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            if let waiter {
                self.waiter = nil
                return waiter.continuation
            }
            pending = true
            return nil
        }
        continuation?.resume()
    }

    /// Waits for a signal; returns early when the task is cancelled.
    func wait() async {
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    if pending {
                        pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    precondition(waiter == nil, "AsyncSignal has one waiter at a time")
                    waiter = (id, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
                guard let waiter, waiter.id == id else { return nil }
                self.waiter = nil
                return waiter.continuation
            }
            continuation?.resume()
        }
    }

    /// Waits for a signal until `deadline` on `clock`.
    func wait<C: Clock>(until deadline: C.Instant, clock: C) async where C.Duration == Duration {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await clock.sleep(until: deadline, tolerance: nil) }
            await group.next()
            group.cancelAll()
        }
    }
}
