import Foundation
import StageflowAPI
import StageflowStore

/// The API as the controllers inside the server's process (`stageflow up`) use it: every write goes through the
/// same `WriteChain` as an HTTP request — schema validation and pruning, the writer's rules, the URL policy,
/// `managedFields` — as the controllers' identity (`system:controller`), so a controller behaves the same in
/// this process as it does as `stageflow controller --server`. Reads come from the store.
public struct InProcessAPI: Sendable {
    let store: ResourceStore
    let chain: WriteChain
    /// The manager recorded in `managedFields` for these writes.
    public let fieldManager: String

    init(store: ResourceStore, chain: WriteChain, fieldManager: String = "stageflow-controller") {
        self.store = store
        self.chain = chain
        self.fieldManager = fieldManager
    }

    /// One object.
    public func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try await store.get(kind, namespace: namespace, name: name)
    }

    /// Every object of a kind (in one namespace or all) matching `options`' selectors, all pages, with the
    /// revision to watch from.
    public func list(_ kind: ResourceKind, namespace: String?, options: ListOptions = ListOptions()) async throws
        -> (items: [JSONValue], revision: Int64)
    {
        try await store.listAll(kind, namespace: namespace, options: options)
    }

    /// Changes after `options.resourceVersion`, in order, filtered by its field selector; fails with 410
    /// `Expired` when that revision was compacted away (see `ResourceStore.selectedWatch`).
    public func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try await store.selectedWatch(kind, namespace: namespace, options: options)
    }

    /// Creates an object. Events have no CRD: they are checked as the `/api/v1` events handler checks them.
    public func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        if kind == .event { return try await store.create(.event, try Self.admitEvent(object)) }
        return try await chain.create(object, write(kind, object)).object
    }

    private static func admitEvent(_ object: JSONValue) throws -> JSONValue {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? Names.defaultNamespace
        var event = try EventValidation.admit(object, namespace: namespace)
        event["metadata"]?["namespace"] = .string(namespace)
        return event
    }

    /// Replaces an object's spec and metadata; compare-and-swap on the `resourceVersion` it carries (without
    /// one, on the version read when the write is admitted).
    public func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        if kind == .event { return try await store.update(.event, try Self.admitEvent(object)) }
        return try await replace(kind, object, subresource: .main)
    }

    /// Replaces an object's status, likewise.
    public func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        try await replace(kind, object, subresource: .status)
    }

    /// Deletes an object (finalizers may keep it), propagating to its dependents as `options` say.
    public func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions = DeleteOptions())
        async throws
    {
        _ = try await store.delete(
            kind, namespace: namespace, name: name, preconditions: options.preconditions,
            propagation: options.propagationPolicy, dryRun: options.dryRun)
    }

    private func replace(_ kind: ResourceKind, _ object: JSONValue, subresource: Subresource) async throws -> JSONValue {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let write = write(kind, object, subresource: subresource)
        if object[path: ["metadata", "resourceVersion"]]?.stringValue?.isEmpty == false {
            return try await chain.update(object, name: name, write).object
        }
        return try await chain.patch(name: name, write) { current in
            var proposed = object
            proposed[path: "metadata", "resourceVersion"] = current[path: ["metadata", "resourceVersion"]]
            return proposed
        }.object
    }

    private func write(_ kind: ResourceKind, _ object: JSONValue, subresource: Subresource = .main) -> WriteRequest {
        WriteRequest(
            kind: kind, namespace: kind.namespaced ? object[path: ["metadata", "namespace"]]?.stringValue ?? Names.defaultNamespace : nil,
            subresource: subresource, principal: .inProcessController, fieldManager: fieldManager)
    }
}

extension APIServer {
    /// The in-process API for controllers running beside this server.
    public var inProcessAPI: InProcessAPI { InProcessAPI(store: store, chain: chain) }
}
