import StageflowAPI
import StageflowStore

/// What controllers need of the API: read, list, watch and write objects. In-process controllers use the
/// store directly (`StoreResourceClient`); a separate controller process uses the HTTP API.
public protocol ResourceClient: Sendable {
    /// One object.
    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue
    /// All objects of a kind, with the revision to watch from.
    func list(_ kind: ResourceKind, namespace: String?) async throws -> (items: [JSONValue], revision: Int64)
    /// Changes after `revision`, in order; ends or throws (410 `Expired` included) when the watch breaks.
    func watch(_ kind: ResourceKind, namespace: String?, from revision: Int64) async throws
        -> AsyncThrowingStream<StoreEvent, any Error>
    /// Creates an object.
    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue
    /// Replaces an object's spec and metadata (compare-and-swap when it carries a resourceVersion).
    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue
    /// Replaces an object's status (compare-and-swap when it carries a resourceVersion).
    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue
    /// Deletes an object (finalizers may keep it).
    func delete(_ kind: ResourceKind, namespace: String?, name: String) async throws
}

/// A `ResourceClient` over an in-process `ResourceStore`.
public struct StoreResourceClient: ResourceClient {
    /// The store.
    public let store: ResourceStore

    /// A client of `store`.
    public init(store: ResourceStore) { self.store = store }

    public func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try await store.get(kind, namespace: namespace, name: name)
    }

    public func list(_ kind: ResourceKind, namespace: String?) async throws -> (items: [JSONValue], revision: Int64) {
        var options = ListOptions(limit: 500)
        var items: [JSONValue] = []
        var revision: Int64 = 0
        repeat {
            let page = try await store.list(kind, namespace: namespace, options: options)
            items += page.items
            revision = page.resourceVersion
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        return (items, revision)
    }

    public func watch(_ kind: ResourceKind, namespace: String?, from revision: Int64) async throws
        -> AsyncThrowingStream<StoreEvent, any Error>
    {
        let watch = try await store.watch(kind, namespace: namespace, from: revision)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in watch { continuation.yield(event) }
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

    public func delete(_ kind: ResourceKind, namespace: String?, name: String) async throws {
        _ = try await store.delete(kind, namespace: namespace, name: name)
    }
}
