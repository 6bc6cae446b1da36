import StageflowAPI

/// What controllers need of the API: read, list, watch and write objects. Controllers see this protocol only;
/// the process that assembles them decides what is behind it (the HTTP API for `stageflow controller --server`,
/// an in-process client for `stageflow up`).
public protocol ResourceClient: Sendable {
    /// One object; throws `APIStatus` 404 when there is none.
    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue
    /// Every object of a kind matching `options`' selectors (all pages), with the revision to watch from.
    func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64)
    /// Changes after `options.resourceVersion`, in order; ends or throws (410 `Expired` included) when the watch
    /// breaks. `BOOKMARK` events may appear; they carry only a revision.
    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    /// Creates an object.
    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue
    /// Replaces an object's spec and metadata (compare-and-swap when it carries a resourceVersion).
    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue
    /// Replaces an object's status (compare-and-swap when it carries a resourceVersion).
    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue
    /// Deletes an object (finalizers may keep it), propagating to its dependents as `options` say.
    func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws
}

extension ResourceClient {
    /// Every object of a kind, with the revision to watch from.
    public func list(_ kind: ResourceKind, namespace: String?) async throws -> (items: [JSONValue], revision: Int64) {
        try await list(kind, namespace: namespace, options: ListOptions())
    }

    /// Every change of a kind after `revision`.
    public func watch(_ kind: ResourceKind, namespace: String?, from revision: Int64) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try await watch(kind, namespace: namespace, options: ListOptions(resourceVersion: String(revision)))
    }

    /// Deletes an object with the server's default propagation (Background).
    public func delete(_ kind: ResourceKind, namespace: String?, name: String) async throws {
        try await delete(kind, namespace: namespace, name: name, options: DeleteOptions())
    }
}
