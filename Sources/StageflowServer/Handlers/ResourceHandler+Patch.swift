import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

extension ResourceHandler {
    /// The patch formats custom resources accept, by `Content-Type`.
    enum PatchFormat: Sendable {
        case merge
        case json
        case apply

        /// The format of a `Content-Type`; 415 for strategic merge patch (which Kubernetes refuses for custom
        /// resources, making kubectl fall back to merge patch), a missing type and anything else.
        init(contentType: String?) throws {
            let media = MediaType(contentType ?? "").type
            switch media {
            case "application/merge-patch+json": self = .merge
            case "application/json-patch+json": self = .json
            case "application/apply-patch+yaml": self = .apply
            default:
                throw APIStatus(
                    code: 415, reason: "UnsupportedMediaType",
                    message: "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
        }
    }

    /// PATCH: a merge patch, a JSON patch or a server-side apply of an object or its status.
    func patch(
        _ request: Request, kind: ResourceKind, namespace: String?, name: String, subresource: Subresource,
        query: QueryParameters, principal: Principal, verb: inout String
    ) async throws -> Response {
        let shape = try responseShape(request)
        let parameters = try WriteParameters(query: query, userAgent: request.headers[.userAgent])
        let format = try PatchFormat(contentType: request.headers[.contentType])
        let write = WriteRequest(
            kind: kind, namespace: namespace, subresource: subresource, principal: principal, parameters: parameters)
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        if format == .apply {
            verb = "APPLY"
            guard parameters.fieldManagerGiven else {
                throw APIStatus.badRequest("PATCH \(request.uri.path): fieldManager is required for apply requests")
            }
            let applied = try RequestDocument.object(from: data, format: .yaml)
            let outcome = try await chain.apply(applied, name: name, write)
            return try render(
                outcome.object, kind: kind, shape: shape, query: query, status: outcome.created ? .created : .ok,
                warnings: outcome.warnings)
        }
        if parameters.force {
            throw APIStatus.badRequest("force: Forbidden: may not be specified for non-apply patch")
        }
        let document = try RequestDocument.parse(data, format: .json)
        if format == .json, document.arrayValue == nil {
            throw APIStatus.badRequest("a JSON patch must be an array of operations, not \(document.typeName)")
        }
        let outcome = try await chain.patch(name: name, write) { current in
            guard format == .json else { return Patch.merge(current, with: document) }
            do {
                return try Patch.apply(jsonPatch: document, to: current)
            } catch let error as PatchError {
                throw APIStatus(code: 422, reason: "Invalid", message: "the JSON patch could not be applied: \(error)")
            }
        }
        return try render(outcome.object, kind: kind, shape: shape, query: query, warnings: outcome.warnings)
    }
}
