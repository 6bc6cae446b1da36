import Foundation

/// A result delivered once from another thread to one waiting task; results after the first are ignored,
/// and a result that arrives before anyone waits is kept.
final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var result: Result<Value, any Error>?
    private var delivered = false

    /// Runs `start` and waits for the result it leads to.
    func wait(after start: () -> Void) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, any Error>? = lock.withLock {
                if let result { return result }
                self.continuation = continuation
                return nil
            }
            if let ready {
                continuation.resume(with: ready)
            } else {
                start()
            }
        }
    }

    /// Delivers the result, once.
    func resume(_ result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = lock.withLock {
            guard !delivered else { return nil }
            delivered = true
            if let continuation {
                self.continuation = nil
                return continuation
            }
            self.result = result
            return nil
        }
        waiting?.resume(with: result)
    }
}
