import StageflowAPI

/// One object read from a manifest file, with where it came from.
public struct Manifest: Sendable, Hashable {
    /// The file path, or `STDIN`.
    public var source: String
    /// 1-based index of the document in the file (empty documents count).
    public var document: Int
    /// For an item of a `kind: List` document, its index in `items`.
    public var item: Int?
    /// The line the document starts on.
    public var line: Int
    /// The kind its `apiVersion` and `kind` declare.
    public var kind: ResourceKind
    /// The object as written.
    public var object: JSONValue

    /// A manifest.
    public init(source: String, document: Int, item: Int? = nil, line: Int = 1, kind: ResourceKind, object: JSONValue) {
        self.source = source
        self.document = document
        self.item = item
        self.line = line
        self.kind = kind
        self.object = object
    }

    /// `metadata.name`.
    public var name: String { object[path: ["metadata", "name"]]?.stringValue ?? "" }

    /// `metadata.namespace`, if written.
    public var namespace: String? { object[path: ["metadata", "namespace"]]?.stringValue }

    /// `scan.yaml: document 2`, or `scan.yaml: document 2: items[0]`, for messages.
    public var location: String {
        "\(source): document \(document)" + (item.map { ": items[\($0)]" } ?? "")
    }
}
