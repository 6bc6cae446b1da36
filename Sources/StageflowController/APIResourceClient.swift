import StageflowAPI
import StageflowClient
import StageflowStore

/// A `ResourceClient` over the HTTP API, for a controller that runs as its own process (`stageflow controller
/// --server URL`).
public struct APIResourceClient: ResourceClient {
    /// The API client.
    public let client: StageflowClient

    /// A resource client of the API server behind `client`.
    public init(client: StageflowClient) { self.client = client }

    public func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try await client.get(kind, name: name, namespace: namespace ?? Names.defaultNamespace)
    }

    public func list(_ kind: ResourceKind, namespace: String?) async throws -> (items: [JSONValue], revision: Int64) {
        let list = try await client.listAll(kind, namespace: namespace)
        return (list.items, Int64(list.metadata.resourceVersion ?? "0") ?? 0)
    }

    public func watch(_ kind: ResourceKind, namespace: String?, from revision: Int64) async throws
        -> AsyncThrowingStream<StoreEvent, any Error>
    {
        var options = ClientListOptions()
        options.resourceVersion = String(revision)
        let events = try await client.watch(kind, namespace: namespace, options: options)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in events {
                        guard event.type != .bookmark, event.type != .error else { continue }
                        let revision = Int64(event.object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
                        continuation.yield(StoreEvent(type: event.type, object: event.object, revision: revision))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await client.create(object)
    }

    public func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await client.update(object)
    }

    public func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await client.updateStatus(object)
    }

    public func delete(_ kind: ResourceKind, namespace: String?, name: String) async throws {
        try await client.delete(kind, name: name, namespace: namespace ?? Names.defaultNamespace)
    }
}
