import Foundation

/// A one-way gate: tasks waiting in `wait()` continue once it is opened (or when they are cancelled); opening it
/// again does nothing.
final class Latch: @unchecked Sendable {
    private let lock = NSLock()
    private var opened = false
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextID: UInt64 = 0

    /// Whether the gate is open.
    var isOpen: Bool { lock.withLock { opened } }

    /// Opens the gate, releasing every waiter.
    func open() {
        let released: [CheckedContinuation<Void, Never>] = lock.withLock {
            opened = true
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for continuation in released { continuation.resume() }
    }

    /// Returns once the gate is open or the task is cancelled.
    func wait() async {
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    if opened || Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            lock.withLock { waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
