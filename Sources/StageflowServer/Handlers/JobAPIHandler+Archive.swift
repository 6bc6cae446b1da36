import Foundation
import Hummingbird
import StageflowAPI

extension JobAPIHandler {
    /// `POST /api/v1/jobs/zip`: a `multipart/form-data` body with `scanners` (comma-separated), an optional
    /// `namespace`, and then `file` as the last part (as S3 POST uploads require), at most
    /// `maxArchiveUploadBytes` in all. The fields come first so that the job is authorised and admitted before a
    /// byte is stored; the file is streamed chunk by chunk to `staging/<uid>/<file>.zip` as it arrives, under a
    /// uid chosen here, and the ScanJob is created with that uid once the upload is complete. A failed upload or
    /// a refused job leaves neither job nor staged object behind.
    func createArchiveJob(_ request: Request, principal: Principal) async throws -> Response {
        guard let stagingStore = configuration.artifacts as? any ArtifactStore else {
            throw APIStatus.unavailable(
                "no object store is configured for this API server, so it cannot accept uploads "
                    + "(start it with --object-store or STAGEFLOW_OBJECT_STORE)")
        }
        let limit = configuration.maxArchiveUploadBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIStatus.tooLarge(limit: limit)
        }
        try Self.requireCreator(principal)
        let uid = UUID().uuidString.lowercased()
        var staged = false
        do {
            let reader = try MultipartFormReader(request, limit: limit)
            var fields: [String: String] = [:]
            var file: MultipartFormReader.Part?
            while let part = try await reader.nextPart() {
                guard part.name == "file" else {
                    guard ["scanners", "namespace"].contains(part.name) else {
                        throw MultipartFormError.malformed(
                            "unknown form field \"\(part.name)\"; expected scanners, namespace and file")
                    }
                    guard fields[part.name] == nil else {
                        throw MultipartFormError.malformed("the form field \"\(part.name)\" is given twice")
                    }
                    fields[part.name] = try await reader.fieldValue(name: part.name, limit: 64 * 1024)
                    continue
                }
                file = part
                break
            }
            guard let file else { throw MultipartFormError.malformed("the form has no \"file\" part") }
            let namespace = try Self.namespace(fields["namespace"].map { JSONValue.string($0.trimmingCharacters(in: .whitespaces)) })
            guard let scannerList = fields["scanners"] else {
                throw MultipartFormError.malformed("the \"scanners\" field must come before the \"file\" part")
            }
            let names = scannerList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let scanners = try Self.scanners(.array(names.map { .string($0) }), options: nil)
            try authorizeCreation(principal, namespace: namespace)

            let fileName = Self.fileName(file.fileName)
            guard fileName.utf8.count <= 200 else {
                throw MultipartFormError.malformed("the file name is longer than 200 bytes")
            }
            let key: String
            do {
                key = try stagingStore.stagingKey(jobUID: uid, fileName: fileName)
            } catch let error as ArtifactReaderError {
                throw APIStatus.badRequest("the file name \"\(fileName)\" cannot be stored: \(error.message)")
            }
            var spec: [String: JSONValue] = [
                "target": ["archive": ["objectKey": .string(key), "fileName": .string(fileName)]],
                "scanners": .array(scanners),
            ]
            // Admission first, before a byte is stored: an unknown scanner is refused without an upload, and the
            // creation counts against the user's rate now rather than after the upload.
            _ = try await resources.createScanJob(
                Self.scanJob(namespace: namespace, spec: spec), principal: principal, fieldManager: Self.fieldManager, uid: uid,
                dryRun: true)
            try access.limitCreation(principal)

            staged = true
            _ = try await stagingStore.stageArchive(jobUID: uid, fileName: fileName, chunks: reader.fileChunks())
            let size = reader.partBytes
            let digest = reader.partDigest.finalize().map { String(format: "%02x", $0) }.joined()
            if let extra = try await reader.nextPart() {
                throw MultipartFormError.malformed("the \"file\" part must be the last part; \"\(extra.name)\" follows it")
            }
            guard size > 0 else { throw MultipartFormError.malformed("the \"file\" part is empty") }
            spec["target"] = [
                "archive": [
                    "objectKey": .string(key), "fileName": .string(fileName), "sizeBytes": .int(size),
                    "sha256": .string(digest),
                ]
            ]
            let created = try await resources.createScanJob(
                Self.scanJob(namespace: namespace, spec: spec), principal: principal, fieldManager: Self.fieldManager,
                uid: uid, countsCreation: false)
            return created201(created)
        } catch {
            if staged { try? await stagingStore.discardStaging(jobUID: uid) }
            throw Self.uploadStatus(error, limit: limit)
        }
    }

    /// The `Status` for an upload failure: form errors as 400/413/415, the rest as they are.
    static func uploadStatus(_ error: any Error, limit: Int) -> any Error {
        switch error {
        case MultipartFormError.malformed(let message):
            return APIStatus.badRequest("malformed multipart form: \(message)")
        case MultipartFormError.tooLarge:
            return APIStatus.tooLarge(limit: limit)
        case MultipartFormError.unsupportedMediaType(let type):
            return APIStatus.unsupportedMediaType(type)
        case is ArtifactReaderError:
            return APIStatus.unavailable("the upload could not be stored; try again shortly")
        default:
            return error
        }
    }

    /// The base name of the client's file name (no directories), `upload.zip` when there is none.
    static func fileName(_ given: String?) -> String {
        let base = (given ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let trimmed = base.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "upload.zip" : trimmed
    }
}
