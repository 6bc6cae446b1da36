import StageflowAPI

/// Options of a LIST.
public struct ListOptions: Sendable {
    /// Only objects whose labels match.
    public var labelSelector: LabelSelector?
    /// Only objects whose name/namespace match.
    public var fieldSelector: FieldSelector?
    /// Page size; `nil` for everything.
    public var limit: Int?
    /// Token from the previous page.
    public var continueToken: String?

    /// List options.
    public init(
        labelSelector: LabelSelector? = nil, fieldSelector: FieldSelector? = nil, limit: Int? = nil,
        continueToken: String? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
    }
}

/// One page of a LIST.
public struct ObjectList: Sendable {
    /// Objects, ordered by namespace and name, each with its `resourceVersion`.
    public var items: [JSONValue]
    /// Revision the list is consistent at; a watch from here misses nothing.
    public var resourceVersion: Int64
    /// Token for the next page, when there is one.
    public var continueToken: String?
}

/// Which part of an object a write may change.
public enum Subresource: String, Sendable {
    /// Everything but `status`.
    case main
    /// Only `status`.
    case status
}

/// One change seen by a watch, with the object's `resourceVersion` already set.
public struct StoreEvent: Sendable, Hashable {
    /// `ADDED`, `MODIFIED` or `DELETED`.
    public var type: WatchEvent.EventType
    /// The object after the change (its last state for `DELETED`).
    public var object: JSONValue
    /// The revision of the change.
    public var revision: Int64

    /// An event.
    public init(type: WatchEvent.EventType, object: JSONValue, revision: Int64) {
        self.type = type
        self.object = object
        self.revision = revision
    }
}

/// Preconditions of a delete.
public struct DeletePreconditions: Sendable, Hashable {
    /// The object must still have this `resourceVersion`.
    public var resourceVersion: Int64?
    /// The object must still have this uid.
    public var uid: String?

    /// Preconditions.
    public init(resourceVersion: Int64? = nil, uid: String? = nil) {
        self.resourceVersion = resourceVersion
        self.uid = uid
    }
}

/// The outcome of a delete: either the object is gone, or it waits for finalizers.
public enum DeleteOutcome: Sendable, Hashable {
    /// Removed; the last state.
    case deleted(JSONValue)
    /// Marked with `deletionTimestamp`; finalizers still pending.
    case pending(JSONValue)
}
