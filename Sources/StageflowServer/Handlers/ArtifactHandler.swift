import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

/// The read-only `report` and `artifacts/{path…}` subresources of ScanJobs: the files the controller stored for a
/// job, looked up by the job's uid so that a name reused by a later job never shows an older job's files.
struct ArtifactHandler: Sendable {
    let store: ResourceStore
    let reader: (any ArtifactReader)?

    /// Answers a GET of a job's report or one of its artifacts.
    func respond(namespace: String, name: String, artifact: RequestTarget.JobArtifact) async throws -> Response {
        guard let reader else {
            throw APIStatus.unavailable(
                "no object store is configured for this API server, so it cannot serve reports or artifacts "
                    + "(start it with --object-store or STAGEFLOW_OBJECT_STORE)")
        }
        let job = try await store.get(.scanJob, namespace: namespace, name: name)
        guard let uid = job[path: ["metadata", "uid"]]?.stringValue, !uid.isEmpty else {
            throw APIStatus.internalError("scanjobs \"\(name)\" has no metadata.uid")
        }
        switch artifact {
        case .report:
            guard job[path: ["status", "reportRef", "jsonKey"]]?.stringValue != nil else {
                let phase = job[path: ["status", "phase"]]?.stringValue ?? "Pending"
                throw Self.notFound(name, "scanjobs \"\(name)\" has no report yet (phase \(phase))")
            }
            guard let stored = try await read({ try await reader.report(jobUID: uid) }) else {
                throw Self.notFound(name, "the report of scanjobs \"\(name)\" is missing from the object store")
            }
            return Self.response(stored, fallbackType: "application/json")
        case .file(let path):
            guard let stored = try await read({ try await reader.artifact(jobUID: uid, path: path) }) else {
                throw Self.notFound(name, "scanjobs \"\(name)\" has no artifact \"\(path)\"")
            }
            return Self.response(stored, fallbackType: "application/octet-stream")
        }
    }

    private func read(_ body: () async throws -> StoredArtifact?) async throws -> StoredArtifact? {
        do {
            return try await body()
        } catch let error as ArtifactReaderError {
            if error.isInvalidPath { throw APIStatus.badRequest(error.message) }
            throw DependencyUnavailable(message: "the object store cannot be read; try again shortly", detail: error.message)
        }
    }

    private static func notFound(_ name: String, _ message: String) -> APIStatus {
        APIStatus(
            code: 404, reason: "NotFound", message: message,
            details: APIStatus.Details(name: name, group: ResourceKind.scanJob.group, kind: ResourceKind.scanJob.plural))
    }

    /// The bytes as stored. Artifacts hold what scanned sites served (HTML reports quote their markup), so they
    /// are never sniffed and run sandboxed, away from the API's origin.
    static func response(_ stored: StoredArtifact, fallbackType: String) -> Response {
        let type = stored.contentType.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackType
        var headers: HTTPFields = [.contentType: type]
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "sandbox allow-scripts"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.data)))
    }
}
