import StageflowAPI

/// A page of a list: `{apiVersion, kind: ScanJobList, metadata: {resourceVersion, continue}, items}`.
public struct ResourceList: Codable, Sendable, Hashable {
    /// `stageflow.dev/v1alpha1`.
    public var apiVersion: String?
    /// `ScanJobList`, …
    public var kind: String?
    /// The revision the list was read at and the token of the next page.
    public var metadata: ListMeta
    /// The objects.
    public var items: [JSONValue]

    /// A list.
    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ListMeta = ListMeta(), items: [JSONValue]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    /// Decodes a list from its JSON form; a missing `metadata` or `items` reads as empty.
    public init(json: JSONValue) throws {
        apiVersion = json["apiVersion"]?.stringValue
        kind = json["kind"]?.stringValue
        metadata = try json["metadata"].map { try $0.decode(as: ListMeta.self) } ?? ListMeta()
        switch json["items"] {
        case nil, .null?: items = []
        case .array(let elements)?: items = elements
        default: throw ResourceDecodingError(what: "list", problem: "items is not an array")
        }
    }
}
