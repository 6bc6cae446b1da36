import Foundation

/// The API server's writing view of the object store, beyond `ArtifactReader`: it streams uploaded archives
/// into a job's staging area, removes them again when the job they were meant for is not created, lists a
/// job's artifacts and issues direct download links where the store can (S3 presigned URLs).
///
/// `stageflow up` and `stageflow apiserver` pass an implementation over their object store; without one the
/// ZIP upload answers 503 and report links are served by the API server itself.
public protocol ArtifactStore: ArtifactReader {
    /// The staging key an archive uploaded for the job under `fileName` is stored at; throws
    /// `ArtifactReaderError.invalidPath` for a file name that cannot be a key.
    func stagingKey(jobUID: String, fileName: String) throws -> String

    /// Streams `chunks` into the staging key of the job's archive and returns that key. The store never holds
    /// the whole upload (S3 sends it part by part); if `chunks` throws, nothing is stored and the error is
    /// rethrown. Throws `ArtifactReaderError.invalidPath` for a file name that cannot be a key.
    func stageArchive<Chunks: AsyncSequence>(jobUID: String, fileName: String, chunks: Chunks) async throws -> String
    where Chunks.Element == Data

    /// Removes everything staged for the job.
    func discardStaging(jobUID: String) async throws

    /// The paths (relative to the job's artifacts folder) of every artifact of the job, sorted.
    func artifactPaths(jobUID: String) async throws -> [String]

    /// A URL anyone can GET the artifact at `path` from for `expiresInSeconds`, or `nil` when the store cannot
    /// issue one (a directory or memory: the API server then signs a link to itself).
    func directLink(jobUID: String, path: String, expiresInSeconds: Int) async throws -> URL?
}
