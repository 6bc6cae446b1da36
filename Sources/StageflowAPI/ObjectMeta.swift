/// Standard object metadata, as in the Kubernetes API conventions.
public struct ObjectMeta: Codable, Sendable, Hashable {
    /// DNS-1123 label, unique per namespace and kind.
    public var name: String?
    /// Namespace of a namespaced object; `nil` for cluster-scoped ones.
    public var namespace: String?
    /// Unique id assigned by the server at creation.
    public var uid: String?
    /// Opaque revision of the last change; send it back to update with compare-and-swap.
    public var resourceVersion: String?
    /// Incremented by the server on every change of `spec`.
    public var generation: Int64?
    /// Identifying key/value pairs used by selectors.
    public var labels: [String: String]?
    /// Non-identifying key/value pairs.
    public var annotations: [String: String]?
    /// RFC 3339 time of creation.
    public var creationTimestamp: String?
    /// Set when a delete waits for finalizers.
    public var deletionTimestamp: String?
    /// Names of cleanups that must finish before the object goes.
    public var finalizers: [String]?
    /// Which field managers applied which fields (server-side apply bookkeeping).
    public var managedFields: [JSONValue]?
    /// Objects that own this one (a ScanSchedule owns its ScanJobs).
    public var ownerReferences: [OwnerReference]?

    /// Metadata with a name and an optional namespace.
    public init(name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
    }
}

/// A reference from an owned object to its owner.
public struct OwnerReference: Codable, Sendable, Hashable {
    /// Owner's `apiVersion`.
    public var apiVersion: String
    /// Owner's kind.
    public var kind: String
    /// Owner's name.
    public var name: String
    /// Owner's uid.
    public var uid: String
    /// Whether the owner is the managing controller (at most one reference may say so).
    public var controller: Bool?
    /// Whether a foreground deletion of the owner waits for this object to be gone.
    public var blockOwnerDeletion: Bool?

    /// A reference to an owner.
    public init(
        apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = true, blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

/// Metadata of a list: the revision it was read at and where to continue.
public struct ListMeta: Codable, Sendable, Hashable {
    /// Revision of the store when the list was read; watch from here to miss nothing.
    public var resourceVersion: String?
    /// Token for the next page.
    public var `continue`: String?
    /// Objects left after this page, when known.
    public var remainingItemCount: Int64?

    /// List metadata.
    public init(resourceVersion: String? = nil, continue token: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = token
        self.remainingItemCount = remainingItemCount
    }
}
