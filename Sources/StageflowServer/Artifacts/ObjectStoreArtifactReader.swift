import Foundation
import StageflowObjectStore

/// The API server's view of an object store: a job's report and artifacts at the keys `ObjectKeys` lays out,
/// with every requested path checked by `ObjectKeys.validate` so that it cannot leave the job's folder.
public struct ObjectStoreArtifactReader: ArtifactReader {
    /// The store the controller writes artifacts to.
    public let objects: any ObjectStore

    /// A reader over `objects`.
    public init(objects: any ObjectStore) {
        self.objects = objects
    }

    /// `artifacts/<job-uid>/report.json`.
    public func report(jobUID: String) async throws -> StoredArtifact? {
        try await read(try key { try ObjectKeys.reportJSON(jobUID: jobUID) })
    }

    /// `artifacts/<job-uid>/<path>`.
    public func artifact(jobUID: String, path: String) async throws -> StoredArtifact? {
        let key = try key {
            let key = try ObjectKeys.artifactsPrefix(jobUID: jobUID) + path
            try ObjectKeys.validate(key)
            return key
        }
        return try await read(key)
    }

    private func key(_ build: () throws -> String) throws -> String {
        do {
            return try build()
        } catch let error as ObjectStoreError where error.kind == .invalidKey {
            throw ArtifactReaderError.invalidPath(error.message)
        }
    }

    private func read(_ key: String) async throws -> StoredArtifact? {
        do {
            guard let info = try await objects.head(key) else { return nil }
            return StoredArtifact(data: try await objects.get(key), contentType: info.contentType)
        } catch let error as ObjectStoreError {
            switch error.kind {
            case .notFound: return nil
            case .invalidKey: throw ArtifactReaderError.invalidPath(error.message)
            // A key that is a directory on a filesystem store holds no object of its own.
            case .conflict: return nil
            default: throw ArtifactReaderError.unavailable(error.description)
            }
        }
    }
}
