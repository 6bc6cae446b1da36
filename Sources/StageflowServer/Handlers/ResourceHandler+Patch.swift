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
        /// resources, making kubectl fall back to merge patch) and anything else.
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
        query: QueryParameters, verb: inout String
    ) async throws -> Response {
        let shape = try responseShape(request)
        let parameters = try WriteParameters(query: query, userAgent: request.headers[.userAgent])
        let format = try PatchFormat(contentType: request.headers[.contentType])
        if format == .apply {
            verb = "APPLY"
            return try await apply(
                request, kind: kind, namespace: namespace, name: name, subresource: subresource, query: query,
                shape: shape, parameters: parameters)
        }
        if parameters.force {
            throw APIStatus.badRequest("force: Forbidden: may not be specified for non-apply patch")
        }
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let document = try RequestDocument.parse(data, format: .json)
        if format == .json, document.arrayValue == nil {
            throw APIStatus.badRequest("a JSON patch must be an array of operations, not \(document.typeName)")
        }
        let admission = admission(kind)
        var warnings: [String] = []
        let patched = try await store.modify(
            kind, namespace: namespace, name: name, subresource: subresource, dryRun: parameters.dryRun
        ) { current in
            var proposed: JSONValue
            switch format {
            case .merge:
                proposed = Patch.merge(current, with: document)
            case .json:
                do {
                    proposed = try Patch.apply(jsonPatch: document, to: current)
                } catch let error as PatchError {
                    throw APIStatus(code: 422, reason: "Invalid", message: "the JSON patch could not be applied: \(error)")
                }
            case .apply:
                preconditionFailure("apply is handled above")
            }
            guard case .object = proposed else {
                throw APIStatus.badRequest("the patched object must be a JSON object, not \(proposed.typeName)")
            }
            try admission.checkTypeMeta(proposed)
            proposed = try admission.bind(proposed, name: name, namespace: namespace)
            // A resourceVersion in the patch is a precondition.
            let currentVersion = current[path: ["metadata", "resourceVersion"]]?.stringValue
            if let version = proposed[path: ["metadata", "resourceVersion"]]?.stringValue, version != currentVersion {
                _ = try ResourceStore.parseRevision(version)
                throw APIStatus.conflict(
                    kind, name, "the object has been modified; please apply your changes to the latest version and try again")
            }
            let admitted = try self.admitUpdate(
                current: current, proposed: proposed, kind: kind, subresource: subresource, parameters: parameters)
            warnings = admitted.warnings
            return admitted.object
        }
        return try render(patched, kind: kind, shape: shape, query: query, warnings: warnings)
    }

    /// Server-side apply: creates the object when it does not exist, otherwise merges the applied configuration
    /// into it (see `FieldManager`). Re-applying an unchanged configuration stores nothing.
    private func apply(
        _ request: Request, kind: ResourceKind, namespace: String?, name: String, subresource: Subresource,
        query: QueryParameters, shape: ResponseShape, parameters: WriteParameters
    ) async throws -> Response {
        guard parameters.fieldManagerGiven, let manager = parameters.fieldManager else {
            throw APIStatus.badRequest("PATCH \(request.uri.path): fieldManager is required for apply requests")
        }
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let admission = admission(kind)
        var applied = try RequestDocument.object(from: data, format: .yaml)
        try admission.checkTypeMeta(applied)
        applied = try admission.bind(applied, name: name, namespace: namespace)
        let fieldManager = FieldManager(kind: kind)
        var warnings: [String] = []
        for _ in 0..<4 {
            do {
                let updated = try await store.modify(
                    kind, namespace: namespace, name: name, subresource: subresource, dryRun: parameters.dryRun
                ) { current in
                    let merged = try fieldManager.apply(
                        applied, to: current, manager: manager, force: parameters.force, subresource: subresource,
                        now: Timestamp.now())
                    let candidate = admission.combined(current: current, proposed: merged, subresource: subresource)
                    let admitted = try admission.admit(
                        candidate, fieldValidation: parameters.fieldValidation, current: subresource == .main ? current : nil)
                    warnings = admitted.warnings
                    return admitted.object
                }
                return try render(updated, kind: kind, shape: shape, query: query, warnings: warnings)
            } catch let status as APIStatus where status.code == 404 && subresource == .main {
                // Not there yet: an apply creates it.
            }
            let object = try fieldManager.apply(
                Self.withoutStatus(applied), to: nil, manager: manager, force: parameters.force, subresource: .main,
                now: Timestamp.now())
            let admitted = try admission.admit(object, fieldValidation: parameters.fieldValidation)
            do {
                let created = try await store.create(kind, admitted.object, dryRun: parameters.dryRun)
                return try render(
                    created, kind: kind, shape: shape, query: query, status: .created, warnings: admitted.warnings)
            } catch let status as APIStatus where status.reason == "AlreadyExists" {
                // Created concurrently: apply to it instead.
                continue
            }
        }
        throw APIStatus.conflict(kind, name, "the object keeps changing; try again")
    }
}
