/// One change in a watch stream.
public struct WatchEvent: Codable, Sendable, Hashable {
    /// `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`.
    public var type: EventType
    /// The object after the change (before it, for `DELETED`), or a `Status` for `ERROR`.
    public var object: JSONValue

    /// An event.
    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// Kinds of watch events.
    public enum EventType: String, Codable, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }
}
