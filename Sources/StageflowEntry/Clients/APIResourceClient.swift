import StageflowAPI
import StageflowClient
import StageflowController

/// The controllers' `ResourceClient` over the HTTP API, for a controller that runs as its own process
/// (`stageflow controller --server URL`).
struct APIResourceClient: ResourceClient {
    /// The API client.
    let client: StageflowClient

    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try await client.get(kind, name: name, namespace: namespace ?? Names.defaultNamespace)
    }

    func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
        let list = try await client.listAll(kind, namespace: namespace, options: options)
        return (list.items, Int64(list.metadata.resourceVersion ?? "0") ?? 0)
    }

    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try await client.watch(kind, namespace: namespace, options: options)
    }

    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await client.create(object)
    }

    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await client.update(object)
    }

    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await client.updateStatus(object)
    }

    func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await client.delete(kind, name: name, namespace: namespace ?? Names.defaultNamespace, options: options)
    }
}
