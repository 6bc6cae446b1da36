import Foundation
import StageflowAPI

extension StageflowClient {
    /// Creates an object of the kind it declares, in `namespace` or else its own `metadata.namespace` (or
    /// `default`); returns the object as stored.
    public func create(_ object: JSONValue, namespace: String? = nil, options: WriteOptions = WriteOptions())
        async throws -> JSONValue
    {
        let kind = try kind(of: object)
        let target = url(kind, namespace: self.namespace(of: object, namespace), query: options.queryItems)
        return try await perform(request("POST", target, body: object))
    }

    /// Replaces an object (PUT); `metadata.resourceVersion`, when set, makes it a compare-and-swap that fails
    /// with `Conflict` if the object changed meanwhile.
    public func update(_ object: JSONValue, namespace: String? = nil, options: WriteOptions = WriteOptions())
        async throws -> JSONValue
    {
        let kind = try kind(of: object)
        let target = url(
            kind, namespace: self.namespace(of: object, namespace), name: try name(of: object),
            query: options.queryItems)
        return try await perform(request("PUT", target, body: object))
    }

    /// Replaces an object's `status` through the `/status` subresource; the spec is left as stored.
    public func updateStatus(_ object: JSONValue, namespace: String? = nil, options: WriteOptions = WriteOptions())
        async throws -> JSONValue
    {
        let kind = try kind(of: object)
        let target = url(
            kind, namespace: self.namespace(of: object, namespace), name: try name(of: object), subresource: "status",
            query: options.queryItems)
        return try await perform(request("PUT", target, body: object))
    }

    /// Patches an object (merge, JSON or apply patch), or its status with `subresource: "status"`.
    public func patch(
        _ kind: ResourceKind, name: String, namespace: String = Names.defaultNamespace, patch: ObjectPatch,
        subresource: String? = nil, options: WriteOptions = WriteOptions()
    ) async throws -> JSONValue {
        let target = url(kind, namespace: namespace, name: name, subresource: subresource, query: options.queryItems)
        return try await perform(request("PATCH", target, body: patch.document, contentType: patch.contentType))
    }

    /// Server-side apply: sends the object as the configuration `options.fieldManager` wants (created when
    /// missing); applying an unchanged configuration again changes nothing.
    public func apply(_ object: JSONValue, namespace: String? = nil, options: WriteOptions = .apply()) async throws
        -> JSONValue
    {
        let kind = try kind(of: object)
        var applied = object
        let targetNamespace = self.namespace(of: object, namespace)
        if kind.namespaced, applied[path: ["metadata", "namespace"]] == nil {
            applied["metadata"]?["namespace"] = .string(targetNamespace)
        }
        return try await patch(
            kind, name: try name(of: object), namespace: targetNamespace, patch: .apply(applied), options: options)
    }

    /// Deletes an object; returns what the server answered: the object (still present, with a
    /// `deletionTimestamp`, while finalizers run) or a `Success` status.
    @discardableResult
    public func delete(
        _ kind: ResourceKind, name: String, namespace: String = Names.defaultNamespace,
        options: DeleteOptions = DeleteOptions()
    ) async throws -> JSONValue {
        try await perform(request("DELETE", url(kind, namespace: namespace, name: name, query: options.queryItems), body: options.body))
    }

    /// The namespace a write goes to: the one asked for, else the object's, else `default`.
    func namespace(of object: JSONValue, _ requested: String?) -> String {
        requested ?? object[path: ["metadata", "namespace"]]?.stringValue ?? Names.defaultNamespace
    }
}
