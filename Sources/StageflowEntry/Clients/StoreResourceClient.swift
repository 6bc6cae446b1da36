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
        var options = options
        options.limit = 500
        options.continueToken = nil
        var items: [JSONValue] = []
        var revision: Int64?
        repeat {
            let page = try await store.list(kind, namespace: namespace, options: options)
            items += page.items
            revision = revision ?? page.resourceVersion
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        return (items, revision ?? 0)
    }

    /// A watch from `options.resourceVersion`. Field selectors filter events (the fields they may name never
    /// change); a label selector is refused, since an object moving in or out of it needs the API server's
    /// ADDED/DELETED translation.
    public func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        guard options.labelSelector == nil else {
            throw APIStatus.badRequest("the in-process store client does not watch with a label selector; list with it instead")
        }
        let from = try options.resourceVersion.map { try ResourceStore.parseRevision($0) }
        let watch = try await store.watch(kind, namespace: namespace, from: from)
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
