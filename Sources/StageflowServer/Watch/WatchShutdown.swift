import Foundation

/// Ends a running watch when the server begins graceful shutdown, as kube-apiserver does, so that long-lived
/// streams neither hold the shutdown up nor outlive the store; clients see the stream end and re-establish
/// their watch.
final class WatchShutdown: @unchecked Sendable {
    private let lock = NSLock()
    private var triggered = false
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    /// Whether shutdown has begun.
    var isTriggered: Bool { lock.withLock { triggered } }

    /// Begins shutdown: every `wait()` returns.
    func trigger() {
        let pending = lock.withLock {
            triggered = true
            defer { waiters = [:] }
            return waiters
        }
        for continuation in pending.values { continuation.resume() }
    }

    /// Returns once shutdown begins or the task is cancelled.
    func wait() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock {
                    if triggered || Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = lock.withLock { waiters.removeValue(forKey: id) }
            continuation?.resume()
        }
    }

    /// Runs `operation` until it finishes or shutdown begins, whichever is first; on shutdown the operation is
    /// cancelled and awaited.
    func run(_ operation: () async throws -> Void) async throws {
        try await withoutActuallyEscaping(operation) { operation in
            // The operation runs in a child task while this task waits for it, so it never really escapes (the
            // pattern of Hummingbird's `consumeWithCancellationOnInboundClose`).
            let transfer = UncheckedTransfer(operation)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.wait() }
                group.addTask { try await transfer.value() }
                try await group.next()
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }
}

/// Moves a value that is only used by one task at a time across a task boundary.
private struct UncheckedTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
