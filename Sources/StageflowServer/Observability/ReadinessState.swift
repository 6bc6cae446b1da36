import Foundation

/// Whether the server is accepting requests, for `/readyz`: false until the listener is bound and again once
/// graceful shutdown begins. `/readyz` also requires the store to answer.
public final class ReadinessState: @unchecked Sendable {
    private let lock = NSLock()
    private var serving = false

    /// A state that is not serving yet.
    public init() {}

    /// Whether the listener is up and not shutting down.
    public var isServing: Bool { lock.withLock { serving } }

    /// Marks the server as accepting requests.
    public func markServing() { lock.withLock { serving = true } }

    /// Marks the server as shutting down (or not started).
    public func markStopped() { lock.withLock { serving = false } }
}
