import Foundation
import StageflowObjectStore

extension ObjectStoreArtifactReader: ArtifactStore {
    /// `staging/<job-uid>/<file>.zip`.
    public func stagingKey(jobUID: String, fileName: String) throws -> String {
        do {
            return try ObjectKeys.stagingArchive(jobUID: jobUID, fileName: fileName)
        } catch let error as ObjectStoreError where error.kind == .invalidKey {
            throw ArtifactReaderError.invalidPath(error.message)
        }
    }

    /// Streams the upload to `staging/<job-uid>/<file>.zip` through the store's chunked `put`.
    public func stageArchive<Chunks: AsyncSequence>(jobUID: String, fileName: String, chunks: Chunks) async throws
        -> String where Chunks.Element == Data
    {
        let key = try stagingKey(jobUID: jobUID, fileName: fileName)
        try await objects.put(key, chunks: chunks, contentType: "application/zip")
        return key
    }

    /// Deletes `staging/<job-uid>/`.
    public func discardStaging(jobUID: String) async throws {
        try await objects.deletePrefix(try ObjectKeys.stagingPrefix(jobUID: jobUID))
    }

    /// Every key under `artifacts/<job-uid>/`, relative to it.
    public func artifactPaths(jobUID: String) async throws -> [String] {
        let prefix = try ObjectKeys.artifactsPrefix(jobUID: jobUID)
        return try await objects.list(prefix: prefix).map { String($0.key.dropFirst(prefix.count)) }.sorted()
    }

    /// The store's presigned URL of `artifacts/<job-uid>/<path>` (S3), or `nil` (directory, memory).
    public func directLink(jobUID: String, path: String, expiresInSeconds: Int) async throws -> URL? {
        let key = try ObjectKeys.artifactsPrefix(jobUID: jobUID) + path
        do {
            try ObjectKeys.validate(key)
        } catch let error as ObjectStoreError where error.kind == .invalidKey {
            throw ArtifactReaderError.invalidPath(error.message)
        }
        return try await objects.presignedGetURL(key, expiresInSeconds: expiresInSeconds)
    }
}
