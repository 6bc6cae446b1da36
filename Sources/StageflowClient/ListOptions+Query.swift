import StageflowAPI

extension ListOptions {
    /// The options as query parameters of a list, watch or table request.
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.requirements.isEmpty { items.append(("labelSelector", labelSelector.description)) }
        if let fieldSelector, !fieldSelector.requirements.isEmpty { items.append(("fieldSelector", fieldSelector.description)) }
        if let limit { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion, !resourceVersion.isEmpty { items.append(("resourceVersion", resourceVersion)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

extension DeleteOptions {
    /// `dryRun` and `propagationPolicy` as query parameters.
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let propagationPolicy { items.append(("propagationPolicy", propagationPolicy.rawValue)) }
        return items
    }

    /// The `DeleteOptions` body carrying the preconditions (which have no query form), or `nil` without any.
    var body: JSONValue? {
        guard preconditions.uid != nil || preconditions.resourceVersion != nil else { return nil }
        var conditions: [String: JSONValue] = [:]
        if let uid = preconditions.uid { conditions["uid"] = .string(uid) }
        if let version = preconditions.resourceVersion { conditions["resourceVersion"] = .string(String(version)) }
        return ["apiVersion": "v1", "kind": "DeleteOptions", "preconditions": .object(conditions)]
    }
}
