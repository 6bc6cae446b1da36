/// Query parameters of a list, watch or table request.
public struct ListOptions: Sendable, Hashable {
    /// Label selector text (`app=web,tier!=db`).
    public var labelSelector: String?
    /// Field selector text (`metadata.name=nightly`).
    public var fieldSelector: String?
    /// Page size; the response carries a `continue` token when more remain.
    public var limit: Int?
    /// The `continue` token of the previous page.
    public var continueToken: String?
    /// For a watch, the revision after which events are sent (the list's `metadata.resourceVersion`).
    public var resourceVersion: String?
    /// Ask the server to end a watch after this many seconds.
    public var timeoutSeconds: Int?

    /// Options; all default to unset.
    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion, !resourceVersion.isEmpty { items.append(("resourceVersion", resourceVersion)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}
