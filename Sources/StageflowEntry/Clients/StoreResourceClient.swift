import StageflowAPI
import StageflowController
import StageflowStore

/// The controllers' `ResourceClient` straight on an in-process `ResourceStore` (`stageflow up`, and `stageflow
/// controller --database-url`). It bypasses the API server's admission; it stands until an in-process client that
/// goes through the server's write path replaces it.
public struct StoreResourceClient: ResourceClient {
    /// The store.
    public let store: ResourceStore

    /// A client of `store`.
    public init(store: ResourceStore) { self.store = store }

    public func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try await store.get(kind, namespace: namespace, name: name)
    }

    public func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
        try await store.listAll(kind, namespace: namespace, options: options)
    }

    /// A watch from `options.resourceVersion`; see `ResourceStore.selectedWatch`.
    public func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try await store.selectedWatch(kind, namespace: namespace, options: options)
    }

    public func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await store.create(kind, object)
    }

    public func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await store.update(kind, object)
    }

    public func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await store.update(kind, object, subresource: .status)
    }

    public func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {
        _ = try await store.delete(
            kind, namespace: namespace, name: name, preconditions: options.preconditions,
            propagation: options.propagationPolicy, dryRun: options.dryRun)
    }
}
