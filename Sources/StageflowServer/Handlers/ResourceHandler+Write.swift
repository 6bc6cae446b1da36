import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

extension ResourceHandler {
    /// POST: create an object (or, with `generateName`, one with a generated name).
    func create(_ request: Request, kind: ResourceKind, namespace: String?, query: QueryParameters, principal: Principal)
        async throws -> Response
    {
        let shape = try responseShape(request)
        let parameters = try WriteParameters(query: query, userAgent: request.headers[.userAgent])
        let format = try RequestDocument.format(contentType: request.headers[.contentType])
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let object = try RequestDocument.object(from: data, format: format)
        let write = WriteRequest(kind: kind, namespace: namespace, principal: principal, parameters: parameters)
        let outcome = try await chain.create(object, write)
        AuditRecord.current?.name = outcome.object[path: ["metadata", "name"]]?.stringValue
        return try render(outcome.object, kind: kind, shape: shape, query: query, status: .created, warnings: outcome.warnings)
    }

    /// PUT: replace an object or its status; `metadata.resourceVersion` is required and must be current.
    func update(
        _ request: Request, kind: ResourceKind, namespace: String?, name: String, subresource: Subresource,
        query: QueryParameters, principal: Principal
    ) async throws -> Response {
        let shape = try responseShape(request)
        let parameters = try WriteParameters(query: query, userAgent: request.headers[.userAgent])
        let format = try RequestDocument.format(contentType: request.headers[.contentType])
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let object = try RequestDocument.object(from: data, format: format)
        let write = WriteRequest(
            kind: kind, namespace: namespace, subresource: subresource, principal: principal, parameters: parameters)
        let outcome = try await chain.update(object, name: name, write)
        return try render(outcome.object, kind: kind, shape: shape, query: query, warnings: outcome.warnings)
    }
}
