import Foundation
import StageflowAPI
import StageflowHTTP

extension StageflowClient {
    /// The bytes of a ScanJob's unified `report.json`, from the `report` subresource. A job without a report yet
    /// (or an unknown job) is thrown as a 404 `APIStatus` whose message says which.
    public func scanJobReport(named name: String, namespace: String = Names.defaultNamespace) async throws -> Data {
        try await fetch(url(.scanJob, namespace: namespace, name: name, subresource: "report")).body
    }

    /// One file under a ScanJob's artifacts folder, by its path relative to that folder
    /// (`security-headers/results.json`), with the media type the server gave it.
    public func scanJobArtifact(named name: String, namespace: String = Names.defaultNamespace, path: String)
        async throws -> (data: Data, contentType: String?)
    {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { Self.escapeSegment(String($0)) }
        let target = url(
            .scanJob, namespace: namespace, name: name, subresource: "artifacts/" + segments.joined(separator: "/"))
        let response = try await fetch(target)
        return (response.body, response.headers["Content-Type"])
    }

    /// GETs `target` for its raw body; a non-2xx answer is thrown as `APIStatus`.
    private func fetch(_ target: URL) async throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await http.send(request("GET", target, accept: "*/*"))
        } catch let error as HTTPError {
            throw StageflowClientError.transport(error, server: server)
        }
        guard response.isSuccess else { throw APIStatus(response: response.body, httpStatus: response.status) }
        return response
    }
}
