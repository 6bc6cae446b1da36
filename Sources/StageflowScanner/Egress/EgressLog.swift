import Foundation

/// The connections a scan tried and was not given, as the egress proxy saw them: what a page attempted (the
/// target `host:port`) and why it failed, so reports can say what was blocked.
public final class EgressLog: Sendable {
    /// One refused or failed connection.
    public struct Attempt: Sendable, Hashable {
        /// `host:port` as the client asked for it.
        public var target: String
        /// Whether the policy refused it (rather than the network failing it).
        public var blocked: Bool
        /// Why.
        public var reason: String
    }

    private let state = LockedAttempts()

    /// An empty log.
    public init() {}

    /// Records an attempt.
    public func record(_ attempt: Attempt) {
        state.append(attempt)
    }

    /// Every attempt recorded since the last drain, in order, and forgets them.
    public func drain() -> [Attempt] {
        state.drain()
    }
}

private final class LockedAttempts: @unchecked Sendable {
    private let lock = NSLock()
    private var attempts: [EgressLog.Attempt] = []

    func append(_ attempt: EgressLog.Attempt) {
        lock.withLock { attempts.append(attempt) }
    }

    func drain() -> [EgressLog.Attempt] {
        lock.withLock {
            defer { attempts = [] }
            return attempts
        }
    }
}
