import Foundation
import StageflowAPI
import StageflowController

/// A `ResourceClient` that can be cut off from the API, as when the API server it talks to stops: every call
/// then fails. Records when (on the election clock) it last wrote the lease.
final class PartitionableClient: ResourceClient, @unchecked Sendable {
    /// The error of a call made while cut off.
    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "the API server does not answer" }
    }

    private let inner: any ResourceClient
    private let clock: any ElectionClock
    private let lock = NSLock()
    private var cut = false
    private var leaseWrite: Duration?

    init(_ inner: any ResourceClient, clock: any ElectionClock) {
        self.inner = inner
        self.clock = clock
    }

    /// Cuts the client off (or reconnects it).
    func setPartitioned(_ value: Bool) { lock.withLock { cut = value } }

    /// When this client last wrote the lease successfully.
    var lastLeaseWrite: Duration? { lock.withLock { leaseWrite } }

    private func check() throws {
        if lock.withLock({ cut }) { throw Unreachable() }
    }

    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try check()
        return try await inner.get(kind, namespace: namespace, name: name)
    }

    func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
        try check()
        return try await inner.list(kind, namespace: namespace, options: options)
    }

    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try check()
        return try await inner.watch(kind, namespace: namespace, options: options)
    }

    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try check()
        let created = try await inner.create(kind, object)
        if kind == .lease { lock.withLock { leaseWrite = clock.elapsed } }
        return created
    }

    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try check()
        let updated = try await inner.update(kind, object)
        if kind == .lease { lock.withLock { leaseWrite = clock.elapsed } }
        return updated
    }

    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try check()
        return try await inner.updateStatus(kind, object)
    }

    func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {
        try check()
        try await inner.delete(kind, namespace: namespace, name: name, options: options)
    }
}
