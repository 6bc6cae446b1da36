import Foundation
import Hummingbird
import StageflowAPI

/// The deadline of one request: the handler runs in a task of its own, and when it has not answered in time the
/// client gets 503 (a read: nothing happened, try again) or 504 (a write: it may or may not have been applied)
/// with `Retry-After`, while the handler finishes in the background. A hung dependency then costs a client a
/// bounded wait, never an open-ended one.
enum RequestDeadline {
    static func run<T: Sendable>(
        _ limit: Duration, isWrite: Bool, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        // The first of the two results wins; the other is dropped.
        let (answers, answer) = AsyncStream.makeStream(of: Result<T, any Error>.self, bufferingPolicy: .bufferingOldest(1))
        let timer = Task {
            try? await Task.sleep(for: limit)
            if !Task.isCancelled { answer.yield(.failure(timedOut(limit, isWrite: isWrite))) }
        }
        Task {
            do {
                answer.yield(.success(try await body()))
            } catch {
                answer.yield(.failure(error))
            }
            timer.cancel()
        }
        for await first in answers { return try first.get() }
        throw CancellationError()
    }

    static func timedOut(_ limit: Duration, isWrite: Bool) -> APIStatus {
        let seconds = limit.components.seconds
        var status = APIStatus(
            code: isWrite ? 504 : 503, reason: isWrite ? "Timeout" : "ServiceUnavailable",
            message: isWrite
                ? "the write did not complete within \(seconds) s; it may or may not have been applied: read the object before you retry"
                : "the request did not complete within \(seconds) s; try again")
        var details = APIStatus.Details()
        details.retryAfterSeconds = 1
        status.details = details
        return status
    }
}

/// The verb and user a request's handler learned, read by the responder for metrics and the audit line.
final class RequestFacts: @unchecked Sendable {
    private let lock = NSLock()
    private var verb: String
    private var user = "anonymous"

    init(verb: String) { self.verb = verb }

    func record(verb: String, user: String) {
        lock.withLock {
            self.verb = verb
            self.user = user
        }
    }

    var snapshot: (verb: String, user: String) { lock.withLock { (verb, user) } }
}
