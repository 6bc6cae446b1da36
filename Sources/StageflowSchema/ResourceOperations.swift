import StageflowAPI

/// The REST paths of one kind as Kubernetes publishes them for a CRD (collection, item and `/status`), each
/// operation tagged with `x-kubernetes-action` and a single-object `x-kubernetes-group-version-kind`, and every
/// write declaring the `fieldValidation` query parameter so `kubectl` leaves field validation to the server.
struct ResourceOperations {
    let kind: ResourceKind
    let flavor: OpenAPIFlavor

    /// A query parameter.
    struct Query {
        let name: String
        let type: String
        let description: String
    }

    /// One operation before it is written in either dialect.
    struct Plan {
        let method: String
        let action: String
        let operationID: String
        let description: String
        let query: [Query]
        let body: (definition: String, contentTypes: [String])?
        let responses: [(code: String, description: String, definition: String?)]
        let produces: [String]
    }

    /// Definition name of the kind, `dev.stageflow.v1alpha1.ScanJob`.
    static func definitionName(_ kind: ResourceKind, list: Bool = false) -> String {
        let reversedGroup = kind.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(reversedGroup).\(kind.version).\(list ? kind.listKind : kind.kind)"
    }

    /// Every path of the kind with its operations, in this flavor.
    func paths() -> [String: JSONValue] {
        let base = "/apis/\(kind.group)/\(kind.version)"
        let collection = kind.namespaced ? "\(base)/namespaces/{namespace}/\(kind.plural)" : "\(base)/\(kind.plural)"
        let item = collection + "/{name}"
        var paths: [String: JSONValue] = [:]
        let scoped =
            kind.namespaced
            ? [pathParameter("namespace", "object name and auth scope, such as for teams and projects")] : []
        let name = [pathParameter("name", "name of the \(kind.kind)")]
        if kind.namespaced {
            paths["\(base)/\(kind.plural)"] = pathItem([list(allNamespaces: true)], parameters: [])
        }
        paths[collection] = pathItem([list(allNamespaces: false), create(), deleteCollection()], parameters: scoped)
        paths[item] = pathItem(
            [read(status: false), replace(status: false), patch(status: false), delete()], parameters: name + scoped)
        paths[item + "/status"] = pathItem(
            [read(status: true), replace(status: true), patch(status: true)], parameters: name + scoped)
        return paths
    }

    // MARK: - Plans

    private var qualifier: String { kind.namespaced ? "Namespaced" : "" }
    private var groupID: String {
        kind.group.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
    /// `stageflowDev_v1alpha1`, the tag Kubernetes gives the operations of a group-version.
    private var tag: String {
        let id = groupID
        return id.prefix(1).lowercased() + id.dropFirst() + "_" + kind.version
    }
    private func operationID(_ verb: String, _ suffix: String = "") -> String {
        "\(verb)\(groupID)\(kind.version.prefix(1).uppercased())\(kind.version.dropFirst())\(suffix)"
    }
    private var resource: String { Self.definitionName(kind) }
    private var listResource: String { Self.definitionName(kind, list: true) }
    private static let json = ["application/json"]
    private static let bodyTypes = ["application/json", "application/yaml"]
    private static let patchTypes = [
        "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml",
    ]

    private func list(allNamespaces: Bool) -> Plan {
        let suffix = allNamespaces ? "\(kind.kind)ForAllNamespaces" : "\(qualifier)\(kind.kind)"
        return Plan(
            method: "get", action: "list", operationID: operationID("list", suffix),
            description: "list or watch objects of kind \(kind.kind)", query: Self.listQuery, body: nil,
            responses: [("200", "OK", listResource)], produces: Self.json + ["application/json;stream=watch"])
    }

    private func create() -> Plan {
        Plan(
            method: "post", action: "post", operationID: operationID("create", qualifier + kind.kind),
            description: "create a \(kind.kind)", query: Self.writeQuery, body: (resource, Self.bodyTypes),
            responses: [("200", "OK", resource), ("201", "Created", resource), ("202", "Accepted", resource)],
            produces: Self.json)
    }

    private func deleteCollection() -> Plan {
        Plan(
            method: "delete", action: "deletecollection",
            operationID: operationID("delete", "Collection" + qualifier + kind.kind),
            description: "delete collection of \(kind.kind)",
            query: Self.listQuery.filter { !["watch", "allowWatchBookmarks", "sendInitialEvents"].contains($0.name) }
                + Self.deleteQuery,
            body: (MetaDefinitions.deleteOptions, Self.bodyTypes), responses: [("200", "OK", MetaDefinitions.status)],
            produces: Self.json)
    }

    private func read(status: Bool) -> Plan {
        Plan(
            method: "get", action: "get",
            operationID: operationID("read", qualifier + kind.kind + (status ? "Status" : "")),
            description: "read the \(status ? "status of the " : "")specified \(kind.kind)",
            query: [
                Query(
                    name: "resourceVersion", type: "string", description: "Revision to read at; empty for the latest.")
            ],
            body: nil, responses: [("200", "OK", resource)], produces: Self.json)
    }

    private func replace(status: Bool) -> Plan {
        Plan(
            method: "put", action: "put",
            operationID: operationID("replace", qualifier + kind.kind + (status ? "Status" : "")),
            description: "replace the \(status ? "status of the " : "")specified \(kind.kind)", query: Self.writeQuery,
            body: (resource, Self.bodyTypes), responses: [("200", "OK", resource), ("201", "Created", resource)],
            produces: Self.json)
    }

    private func patch(status: Bool) -> Plan {
        let force = Query(
            name: "force", type: "boolean",
            description: "Force is going to \"force\" Apply requests: conflicting fields owned by other managers are "
                + "taken over. It must be unset for non-apply patch requests.")
        return Plan(
            method: "patch", action: "patch",
            operationID: operationID("patch", qualifier + kind.kind + (status ? "Status" : "")),
            description: "partially update the \(status ? "status of the " : "")specified \(kind.kind)",
            query: Self.writeQuery + [force], body: (MetaDefinitions.patch, Self.patchTypes),
            responses: [("200", "OK", resource), ("201", "Created", resource)], produces: Self.json)
    }

    private func delete() -> Plan {
        Plan(
            method: "delete", action: "delete", operationID: operationID("delete", qualifier + kind.kind),
            description: "delete a \(kind.kind)", query: Self.deleteQuery,
            body: (MetaDefinitions.deleteOptions, Self.bodyTypes),
            responses: [("200", "OK", MetaDefinitions.status), ("202", "Accepted", MetaDefinitions.status)],
            produces: Self.json)
    }

    private static let dryRun = Query(
        name: "dryRun", type: "string",
        description: "When present, indicates that modifications should not be persisted. The only valid value is All.")

    private static let writeQuery = [
        dryRun,
        Query(
            name: "fieldManager", type: "string",
            description: "A name associated with the actor or entity that is making these changes."),
        Query(
            name: "fieldValidation", type: "string",
            description:
                "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) "
                + "containing unknown or duplicate fields. Valid values are: - Ignore: drops unknown fields silently. "
                + "- Warn: drops unknown fields and sends a warning for each (the default). - Strict: fails the "
                + "request with BadRequest when the object contains an unknown field."),
    ]

    private static let deleteQuery = [
        dryRun,
        Query(name: "gracePeriodSeconds", type: "integer", description: "Seconds before the object should be deleted."),
        Query(name: "propagationPolicy", type: "string", description: "Orphan, Background or Foreground."),
    ]

    private static let listQuery = [
        Query(name: "allowWatchBookmarks", type: "boolean", description: "Requests watch events of type BOOKMARK."),
        Query(name: "continue", type: "string", description: "Token of the next page of a paged list."),
        Query(
            name: "fieldSelector", type: "string",
            description: "Restricts the list by fields (metadata.name, metadata.namespace)."),
        Query(name: "labelSelector", type: "string", description: "Restricts the list by labels."),
        Query(name: "limit", type: "integer", description: "Maximum number of objects in one page."),
        Query(name: "resourceVersion", type: "string", description: "Revision to list at or to watch from."),
        Query(name: "resourceVersionMatch", type: "string", description: "How resourceVersion applies to a list."),
        Query(name: "sendInitialEvents", type: "boolean", description: "Starts a watch with the current objects."),
        Query(name: "timeoutSeconds", type: "integer", description: "Timeout of the list or watch call."),
        Query(name: "watch", type: "boolean", description: "Watch for changes and stream them as events."),
    ]

    // MARK: - Rendering

    private func pathParameter(_ name: String, _ description: String) -> JSONValue {
        switch flavor {
        case .v2:
            return [
                "name": .string(name), "in": "path", "required": true, "type": "string", "uniqueItems": true,
                "description": .string(description),
            ]
        case .v3:
            return [
                "name": .string(name), "in": "path", "required": true, "description": .string(description),
                "schema": ["type": "string", "uniqueItems": true],
            ]
        }
    }

    private func queryParameter(_ query: Query) -> JSONValue {
        switch flavor {
        case .v2:
            return [
                "name": .string(query.name), "in": "query", "type": .string(query.type), "uniqueItems": true,
                "description": .string(query.description),
            ]
        case .v3:
            return [
                "name": .string(query.name), "in": "query", "description": .string(query.description),
                "schema": ["type": .string(query.type), "uniqueItems": true],
            ]
        }
    }

    private func pathItem(_ plans: [Plan], parameters: [JSONValue]) -> JSONValue {
        var item: [String: JSONValue] = [:]
        let pretty = Query(name: "pretty", type: "string", description: "If 'true', then the output is pretty printed.")
        item["parameters"] = .array(parameters + [queryParameter(pretty)])
        for plan in plans { item[plan.method] = operation(plan) }
        return .object(item)
    }

    private func operation(_ plan: Plan) -> JSONValue {
        var operation: [String: JSONValue] = [
            "description": .string(plan.description),
            "operationId": .string(plan.operationID),
            "tags": [.string(tag)],
            "x-kubernetes-action": .string(plan.action),
            "x-kubernetes-group-version-kind": OpenAPIFlavor.groupVersionKind(kind),
        ]
        var parameters = plan.query.map(queryParameter)
        var responses: [String: JSONValue] = ["401": ["description": "Unauthorized"]]
        switch flavor {
        case .v2:
            if let body = plan.body {
                parameters.insert(
                    ["name": "body", "in": "body", "required": true, "schema": flavor.reference(body.definition)], at: 0
                )
                operation["consumes"] = .array(body.contentTypes.map(JSONValue.string))
            } else {
                operation["consumes"] = ["*/*"]
            }
            operation["produces"] = .array(plan.produces.map(JSONValue.string))
            operation["schemes"] = ["https"]
            for response in plan.responses {
                var entry: [String: JSONValue] = ["description": .string(response.description)]
                if let definition = response.definition { entry["schema"] = flavor.reference(definition) }
                responses[response.code] = .object(entry)
            }
        case .v3:
            if let body = plan.body {
                var content: [String: JSONValue] = [:]
                for type in body.contentTypes { content[type] = ["schema": flavor.reference(body.definition)] }
                operation["requestBody"] = ["content": .object(content), "required": true]
            }
            for response in plan.responses {
                var entry: [String: JSONValue] = ["description": .string(response.description)]
                if let definition = response.definition {
                    var content: [String: JSONValue] = [:]
                    for type in plan.produces { content[type] = ["schema": flavor.reference(definition)] }
                    entry["content"] = .object(content)
                }
                responses[response.code] = .object(entry)
            }
        }
        operation["parameters"] = .array(parameters)
        operation["responses"] = .object(responses)
        return .object(operation)
    }
}
