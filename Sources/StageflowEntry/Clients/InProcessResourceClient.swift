import StageflowAPI
import StageflowController
import StageflowServer

/// The controllers' `ResourceClient` inside `stageflow up`: the API server's in-process API, whose writes take
/// the same admission path as HTTP requests, as the controllers' identity.
struct InProcessResourceClient: ResourceClient {
    let api: InProcessAPI

    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try await api.get(kind, namespace: namespace, name: name)
    }

    func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
        try await api.list(kind, namespace: namespace, options: options)
    }

    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try await api.watch(kind, namespace: namespace, options: options)
    }

    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await api.create(kind, object)
    }

    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await api.update(kind, object)
    }

    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await api.updateStatus(kind, object)
    }

    func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await api.delete(kind, namespace: namespace, name: name, options: options)
    }
}
