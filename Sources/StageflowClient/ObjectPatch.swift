import StageflowAPI

/// A patch document and the content type that says how the server applies it.
public enum ObjectPatch: Sendable, Hashable {
    /// A JSON merge patch (RFC 7386).
    case merge(JSONValue)
    /// A JSON patch (RFC 6902): an array of operations.
    case json(JSONValue)
    /// A server-side apply configuration: the fields this manager wants, as it would write them.
    case apply(JSONValue)

    /// The request's `Content-Type`.
    public var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .json: return "application/json-patch+json"
        case .apply: return "application/apply-patch+yaml"
        }
    }

    /// The document itself.
    public var document: JSONValue {
        switch self {
        case .merge(let value), .json(let value), .apply(let value): return value
        }
    }
}
