import Foundation
import StageflowAPI
import StageflowController

/// A resource client that counts the API calls the controller makes, by verb.
final class CountingClient: ResourceClient, @unchecked Sendable {
    private let inner: any ResourceClient
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    init(_ inner: any ResourceClient) { self.inner = inner }

    var total: Int { lock.withLock { counts.values.reduce(0, +) } }
    var byVerb: [String: Int] { lock.withLock { counts } }

    private func count(_ verb: String) { lock.withLock { counts[verb, default: 0] += 1 } }

    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        count("get")
        return try await inner.get(kind, namespace: namespace, name: name)
    }

    func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
        count("list")
        return try await inner.list(kind, namespace: namespace, options: options)
    }

    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        count("watch")
        return try await inner.watch(kind, namespace: namespace, options: options)
    }

    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        count("create")
        return try await inner.create(kind, object)
    }

    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        count("update")
        return try await inner.update(kind, object)
    }

    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        count("updateStatus")
        return try await inner.updateStatus(kind, object)
    }

    func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {
        count("delete")
        try await inner.delete(kind, namespace: namespace, name: name, options: options)
    }
}
