import StageflowAPI

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

/// The outcome of a delete: either the object is gone, or it waits for finalizers.
public enum DeleteOutcome: Sendable, Hashable {
    /// Removed; the last state.
    case deleted(JSONValue)
    /// Marked with `deletionTimestamp`; finalizers still pending.
    case pending(JSONValue)
}
