import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

/// Core `v1` Events under `/api/v1[/namespaces/{ns}]/events[/{name}]`. Reads (get, list with field selectors on
/// the involved object, watch) and deletes go through the resource handler like any kind; create and update are
/// checked here (`EventValidation`), since an Event has no CRD. Controllers write them; `kubectl describe` and
/// `stageflowctl describe` read them.
struct EventHandler: Sendable {
    let store: ResourceStore
    let resources: ResourceHandler
    let configuration: APIServerConfiguration

    /// `GET` (list, watch), `POST` (create), `DELETE` (deletecollection) on the collection.
    func collection(_ request: Request, namespace: String?, principal: Principal, verb: inout String) async throws -> Response {
        switch request.method {
        case .post:
            verb = "CREATE"
            guard let namespace else { throw APIStatus.verbNotAllowed }
            return try await create(request, namespace: namespace)
        case .get, .head, .delete:
            return try await resources.collection(request, kind: .event, namespace: namespace, principal: principal, verb: &verb)
        default:
            throw APIStatus.verbNotAllowed
        }
    }

    /// `GET`, `PUT` (update) and `DELETE` of one event.
    func object(_ request: Request, namespace: String?, name: String, principal: Principal, verb: inout String) async throws -> Response {
        switch request.method {
        case .put:
            verb = "UPDATE"
            return try await update(request, namespace: namespace ?? Names.defaultNamespace, name: name)
        case .get, .head, .delete:
            return try await resources.object(
                request, kind: .event, namespace: namespace, name: name, subresource: .main, principal: principal, verb: &verb)
        default:
            throw APIStatus.verbNotAllowed
        }
    }

    private func create(_ request: Request, namespace: String) async throws -> Response {
        let shape = try resources.responseShape(request)
        var event = try EventValidation.admit(try await body(request), namespace: namespace)
        event["metadata"]?["namespace"] = .string(namespace)
        if let problem = Self.nameProblem(event[path: ["metadata", "name"]]?.stringValue ?? "") {
            throw APIStatus.invalid(.event, "", causes: [.init(reason: "FieldValueInvalid", message: problem, field: "metadata.name")])
        }
        let created = try await store.create(.event, event, dryRun: try Self.dryRun(request))
        return try resources.render(created, kind: .event, shape: shape, query: QueryParameters(request.uri.query), status: .created)
    }

    private func update(_ request: Request, namespace: String, name: String) async throws -> Response {
        let shape = try resources.responseShape(request)
        var event = try EventValidation.admit(try await body(request), namespace: namespace)
        guard (event[path: ["metadata", "name"]]?.stringValue ?? name) == name else {
            throw APIStatus.badRequest("the name of the object (\(event[path: ["metadata", "name"]]?.stringValue ?? "")) does not match the name on the URL (\(name))")
        }
        event["metadata"]?["name"] = .string(name)
        event["metadata"]?["namespace"] = .string(namespace)
        let updated = try await store.update(.event, event, dryRun: try Self.dryRun(request))
        return try resources.render(updated, kind: .event, shape: shape, query: QueryParameters(request.uri.query))
    }

    private func body(_ request: Request) async throws -> JSONValue {
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        return try RequestDocument.object(from: data, format: try RequestDocument.format(contentType: request.headers[.contentType]))
    }

    /// `dryRun=All`: checked and answered, not stored.
    private static func dryRun(_ request: Request) throws -> Bool {
        let values = QueryParameters(request.uri.query).all("dryRun").filter { !$0.isEmpty }
        for value in values where value != "All" {
            throw APIStatus.badRequest("Invalid dryRun \"\(value)\": only \"All\" is supported")
        }
        return !values.isEmpty
    }

    /// What is wrong with an event name (a DNS-1123 subdomain: dot-separated labels, at most 253 characters).
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "Required value: name is required" }
        if name.utf8.count > 253 { return "must be no more than 253 characters" }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if let problem = Names.dns1123LabelProblem(String(label)) {
                return "a lowercase RFC 1123 subdomain must consist of dot-separated labels: \(problem)"
            }
        }
        return nil
    }
}
