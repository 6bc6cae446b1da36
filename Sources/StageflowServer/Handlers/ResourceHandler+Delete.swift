import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

extension ResourceHandler {
    /// `DeleteOptions`, from the body and the query (the query wins, as in kube-apiserver).
    struct DeleteParameters: Sendable {
        var preconditions = DeletePreconditions()
        var dryRun = false
        /// `Background` unless the body or query says otherwise.
        var propagation: DeleteOptions.PropagationPolicy?

        init(body: JSONValue?, query: QueryParameters) throws {
            if let body {
                if let version = body[path: ["preconditions", "resourceVersion"]], !version.isNull {
                    guard let text = version.stringValue else {
                        throw APIStatus.badRequest("preconditions.resourceVersion must be a string")
                    }
                    preconditions.resourceVersion = try ResourceStore.parseRevision(text)
                }
                if let uid = body[path: ["preconditions", "uid"]], !uid.isNull {
                    guard let text = uid.stringValue else { throw APIStatus.badRequest("preconditions.uid must be a string") }
                    preconditions.uid = text
                }
                if let values = body["dryRun"], !values.isNull {
                    let list = values.arrayValue?.compactMap(\.stringValue) ?? []
                    for value in list where value != "All" {
                        throw APIStatus.badRequest("Invalid dryRun \"\(value)\": only \"All\" is supported")
                    }
                    dryRun = !list.isEmpty
                }
                if let policy = try Self.propagation(body["propagationPolicy"]?.stringValue) { propagation = policy }
                if let orphan = body["orphanDependents"]?.boolValue, propagation == nil {
                    // The deprecated spelling, still sent by old clients.
                    propagation = orphan ? .orphan : .background
                }
                if let grace = body["gracePeriodSeconds"], !grace.isNull, (grace.intValue ?? -1) < 0 {
                    throw APIStatus.badRequest("gracePeriodSeconds must be a non-negative integer")
                }
            }
            let queryDryRun = query.all("dryRun").filter { !$0.isEmpty }
            for value in queryDryRun where value != "All" {
                throw APIStatus.badRequest("Invalid dryRun \"\(value)\": only \"All\" is supported")
            }
            if !queryDryRun.isEmpty { dryRun = true }
            if let policy = try Self.propagation(query["propagationPolicy"]) { propagation = policy }
            _ = try query.integer("gracePeriodSeconds")
        }

        private static func propagation(_ value: String?) throws -> DeleteOptions.PropagationPolicy? {
            guard let value, !value.isEmpty else { return nil }
            guard let policy = DeleteOptions.PropagationPolicy(rawValue: value) else {
                throw APIStatus.badRequest(
                    "propagationPolicy: Unsupported value: \"\(value)\": supported values: \"Background\", \"Foreground\", \"Orphan\"")
            }
            return policy
        }
    }

    /// DELETE of one object: gone at once (a success `Status`), or marked for deletion while finalizers remain
    /// (the object, with `deletionTimestamp`).
    func delete(
        _ request: Request, kind: ResourceKind, namespace: String?, name: String, query: QueryParameters,
        principal: Principal
    ) async throws -> Response {
        let shape = try responseShape(request)
        let parameters = try DeleteParameters(body: try await deleteBody(request), query: query)
        try WriterRules.checkDeletion(of: try await store.get(kind, namespace: namespace, name: name), kind: kind, by: principal)
        let outcome = try await store.delete(
            kind, namespace: namespace, name: name, preconditions: parameters.preconditions,
            propagation: parameters.propagation, dryRun: parameters.dryRun)
        switch outcome {
        case .deleted(let object):
            return APIResponse.status(
                .success(kind, name: name, uid: object[path: ["metadata", "uid"]]?.stringValue))
        case .pending(let object):
            return try render(object, kind: kind, shape: shape, query: query)
        }
    }

    /// DELETE of a collection: deletes every object matching the selectors and answers with the list of them.
    func deleteCollection(
        _ request: Request, kind: ResourceKind, namespace: String?, query: QueryParameters, principal: Principal
    ) async throws -> Response {
        let parameters = try DeleteParameters(body: try await deleteBody(request), query: query)
        var options = try listOptions(query, kind: kind)
        var deleted: [JSONValue] = []
        var revision: Int64 = 0
        repeat {
            let page = try await store.list(kind, namespace: namespace, options: options)
            revision = page.resourceVersion
            for object in page.items {
                guard let name = object[path: ["metadata", "name"]]?.stringValue else { continue }
                try WriterRules.checkDeletion(of: object, kind: kind, by: principal)
                do {
                    switch try await store.delete(
                        kind, namespace: object[path: ["metadata", "namespace"]]?.stringValue, name: name,
                        propagation: parameters.propagation, dryRun: parameters.dryRun)
                    {
                    case .deleted(let object), .pending(let object): deleted.append(object)
                    }
                } catch let status as APIStatus where status.code == 404 {
                    continue
                }
            }
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        return APIResponse.json([
            "apiVersion": .string(kind.apiVersion), "kind": .string(kind.listKind),
            "metadata": ["resourceVersion": .string(String(revision))], "items": .array(deleted),
        ])
    }

    /// The `DeleteOptions` body, if any.
    private func deleteBody(_ request: Request) async throws -> JSONValue? {
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        let format = try RequestDocument.format(contentType: request.headers[.contentType])
        return try RequestDocument.object(from: data, format: format)
    }
}
