import Foundation

/// Fans a "something changed" signal out to any number of subscribers; a subscriber that has not consumed the
/// previous signal gets one coalesced signal, never a backlog.
public final class SignalBroadcaster: @unchecked Sendable {
    private let lock = NSLock()
    private var continuations: [UUID: AsyncStream<Void>.Continuation] = [:]

    /// A broadcaster with no subscribers.
    public init() {}

    /// A new subscription.
    public func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        lock.withLock { continuations[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Wakes every subscriber.
    public func signal() {
        let current = lock.withLock { Array(continuations.values) }
        for continuation in current { continuation.yield() }
    }

    /// Ends every subscription.
    public func finish() {
        let current = lock.withLock {
            defer { continuations = [:] }
            return Array(continuations.values)
        }
        for continuation in current { continuation.finish() }
    }
}
