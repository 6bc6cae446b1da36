import Foundation
import Hummingbird
import Logging
import StageflowAPI
import StageflowSchema
import StageflowStore

/// The REST verbs on ScanJobs, ScanSchedules and Scanners: get, list, watch, create, update, patch (merge,
/// JSON and apply), delete and deletecollection, and the status subresource, with kube-apiserver's semantics.
struct ResourceHandler: Sendable {
    let store: ResourceStore
    let schemas: SchemaRegistry
    let configuration: APIServerConfiguration
    let metrics: APIMetrics
    /// The one write path.
    let chain: WriteChain

    /// A request on a collection: list or watch (GET), create (POST), deletecollection (DELETE).
    func collection(
        _ request: Request, kind: ResourceKind, namespace: String?, principal: Principal, verb: inout String
    ) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        switch request.method {
        case .get:
            if try query.bool("watch") {
                verb = "WATCH"
                return try await watch(request, kind: kind, namespace: namespace, query: query)
            }
            verb = "LIST"
            return try await list(request, kind: kind, namespace: namespace, query: query)
        case .post:
            verb = "CREATE"
            // Namespaced objects are created within a namespace only.
            if kind.namespaced && namespace == nil { throw APIStatus.verbNotAllowed }
            return try await create(request, kind: kind, namespace: namespace, query: query, principal: principal)
        case .delete:
            verb = "DELETECOLLECTION"
            if kind.namespaced && namespace == nil { throw APIStatus.verbNotAllowed }
            return try await deleteCollection(request, kind: kind, namespace: namespace, query: query, principal: principal)
        default:
            throw APIStatus.verbNotAllowed
        }
    }

    /// A request on one object or its status: get (GET), update (PUT), patch (PATCH), delete (DELETE).
    func object(
        _ request: Request, kind: ResourceKind, namespace: String?, name: String, subresource: Subresource,
        principal: Principal, verb: inout String
    ) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        switch request.method {
        case .get:
            verb = "GET"
            return try await get(request, kind: kind, namespace: namespace, name: name)
        case .put:
            verb = "UPDATE"
            return try await update(
                request, kind: kind, namespace: namespace, name: name, subresource: subresource, query: query,
                principal: principal)
        case .patch:
            verb = "PATCH"
            return try await patch(
                request, kind: kind, namespace: namespace, name: name, subresource: subresource, query: query,
                principal: principal, verb: &verb)
        case .delete where subresource == .main:
            verb = "DELETE"
            return try await delete(request, kind: kind, namespace: namespace, name: name, query: query, principal: principal)
        default:
            throw APIStatus.verbNotAllowed
        }
    }

    // MARK: Reads

    private func get(_ request: Request, kind: ResourceKind, namespace: String?, name: String) async throws -> Response {
        let shape = try responseShape(request)
        let query = QueryParameters(request.uri.query)
        let object = try await store.get(kind, namespace: namespace, name: name)
        return try render(object, kind: kind, shape: shape, query: query)
    }

    private func list(_ request: Request, kind: ResourceKind, namespace: String?, query: QueryParameters) async throws
        -> Response
    {
        let shape = try responseShape(request)
        var options = try listOptions(query, kind: kind)
        if let limit = try query.integer("limit"), limit > 0 { options.limit = Int(clamping: limit) }
        options.continueToken = query["continue"].flatMap { $0.isEmpty ? nil : $0 }
        let page = try await store.list(kind, namespace: namespace, options: options)
        let resourceVersion = String(page.resourceVersion)
        switch shape {
        case .object:
            var metadata: [String: JSONValue] = ["resourceVersion": .string(resourceVersion)]
            if let token = page.continueToken { metadata["continue"] = .string(token) }
            return APIResponse.json([
                "apiVersion": .string(kind.apiVersion), "kind": .string(kind.listKind), "metadata": .object(metadata),
                "items": .array(page.items),
            ])
        case .table(let version):
            let converter = TableConverter(
                kind: kind, schemas: schemas, version: version, includeObject: try .init(query: query))
            return APIResponse.json(
                converter.table(of: page.items, resourceVersion: resourceVersion, continueToken: page.continueToken))
        case .partialMetadata(let version):
            var metadata: [String: JSONValue] = ["resourceVersion": .string(resourceVersion)]
            if let token = page.continueToken { metadata["continue"] = .string(token) }
            return APIResponse.json([
                "apiVersion": .string("meta.k8s.io/\(version)"), "kind": "PartialObjectMetadataList",
                "metadata": .object(metadata),
                "items": .array(page.items.map { TableConverter.partialMetadata(of: $0, version: version) }),
            ])
        }
    }

    // MARK: Shared

    /// The response shape asked for in `Accept`; 406 when none can be produced.
    func responseShape(_ request: Request) throws -> ResponseShape {
        let accept = request.headers[.accept]
        guard let shape = ResponseShape(accept: accept) else { throw APIStatus.notAcceptable(accept ?? "") }
        return shape
    }

    /// One object in the shape the client asked for.
    func render(
        _ object: JSONValue, kind: ResourceKind, shape: ResponseShape, query: QueryParameters,
        status: HTTPResponse.Status = .ok, warnings: [String] = []
    ) throws -> Response {
        var headers = HTTPFields()
        for warning in warnings {
            headers.append(HTTPFields.Element(name: .warning, value: "299 - \(JSONValue.string(warning).jsonString())"))
        }
        switch shape {
        case .object:
            return APIResponse.json(object, status: status, headers: headers)
        case .table(let version):
            let converter = TableConverter(
                kind: kind, schemas: schemas, version: version, includeObject: try .init(query: query))
            let table = converter.table(of: [object], resourceVersion: object[path: ["metadata", "resourceVersion"]]?.stringValue)
            return APIResponse.json(table, status: status, headers: headers)
        case .partialMetadata(let version):
            return APIResponse.json(TableConverter.partialMetadata(of: object, version: version), status: status, headers: headers)
        }
    }

    /// `labelSelector` and `fieldSelector` (on `metadata.name` and `metadata.namespace`, and for Events on the
    /// involved object, reason, type and source as well); 400 when either does not parse.
    func listOptions(_ query: QueryParameters, kind: ResourceKind) throws -> ListOptions {
        var options = ListOptions()
        do {
            if let text = query["labelSelector"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                options.labelSelector = try LabelSelector(parsing: text)
            }
            if let text = query["fieldSelector"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                options.fieldSelector = kind == .event ? try EventColumns.fieldSelector(text) : try FieldSelector(parsing: text)
            }
        } catch let error as SelectorError {
            throw APIStatus.badRequest(error.description)
        }
        return options
    }

}

extension HTTPFields.Element.Name {
    /// `Warning` (RFC 7234), which kube-apiserver uses for `fieldValidation=Warn`.
    static var warning: Self { Self("Warning")! }
}
