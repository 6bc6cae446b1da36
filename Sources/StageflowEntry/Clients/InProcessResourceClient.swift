import StageflowAPI
import StageflowController
import StageflowServer
import StageflowStore

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

    /// A watch from `options.resourceVersion`. Field selectors filter events (the fields they may name never
    /// change); a label selector is refused, since an object moving in or out of it needs the API server's
    /// ADDED/DELETED translation.
    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        guard options.labelSelector == nil else {
            throw APIStatus.badRequest("the in-process client does not watch with a label selector; list with it instead")
        }
        let from = try options.resourceVersion.map { try ResourceStore.parseRevision($0) }
        let watch = try await api.watch(kind, namespace: namespace, from: from)
        let fields = options.fieldSelector
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in watch where fields?.matches(event.object) ?? true {
                        continuation.yield(WatchEvent(type: event.type, object: event.object))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
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
