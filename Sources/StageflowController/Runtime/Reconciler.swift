/// Reconciles one object toward its desired state: called with only its key, it re-reads what it needs,
/// observes the world and takes the next step. Called again whenever the object (or what it owns) changes.
public protocol Reconciler<Key>: Sendable {
    /// What names the thing to reconcile; a namespace/name by default.
    associatedtype Key: Hashable & Sendable = ObjectName

    /// One pass. Return `.done` or `.requeue(after:)`; throw to retry with backoff; throw `TerminalError` to
    /// stop retrying until the object changes.
    func reconcile(_ key: Key) async throws -> ReconcileResult
}

/// The outcome of a successful reconcile.
public enum ReconcileResult: Sendable, Equatable {
    /// Nothing more to do until something changes.
    case done
    /// Look again after a while (polling an external state, waiting for a deadline).
    case requeue(after: Duration)
}

/// An error that retrying cannot fix; the key is not retried until it is added again by a change.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String

    /// A terminal error.
    public init(_ description: String) { self.description = description }
}
