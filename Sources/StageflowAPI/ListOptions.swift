/// Options of a LIST or WATCH, shared by the store, the API server, the HTTP client and the controllers' client
/// protocol: one type, so a selector means the same thing on every side.
public struct ListOptions: Sendable, Hashable {
    /// Only objects whose labels match.
    public var labelSelector: LabelSelector?
    /// Only objects whose fields match.
    public var fieldSelector: FieldSelector?
    /// Page size; `nil` for everything.
    public var limit: Int?
    /// Token from the previous page.
    public var continueToken: String?
    /// For a watch, the revision after which changes are sent (a list's `metadata.resourceVersion`).
    public var resourceVersion: String?
    /// Ask the server to end a watch after this many seconds.
    public var timeoutSeconds: Int?

    /// List options; all default to unset.
    public init(
        labelSelector: LabelSelector? = nil, fieldSelector: FieldSelector? = nil, limit: Int? = nil,
        continueToken: String? = nil, resourceVersion: String? = nil, timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
    }

    /// Whether an object passes both selectors.
    public func matches(_ object: JSONValue) -> Bool {
        if let labelSelector {
            var labels: [String: String] = [:]
            for (key, value) in object[path: ["metadata", "labels"]]?.objectValue ?? [:] {
                if let string = value.stringValue { labels[key] = string }
            }
            guard labelSelector.matches(labels) else { return false }
        }
        if let fieldSelector, !fieldSelector.matches(object) { return false }
        return true
    }
}
