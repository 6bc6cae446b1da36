import Foundation

/// Where the API server reads the files a scan job left behind: its unified report and every other object under
/// the job's artifacts prefix. The object-store layout (`ObjectKeys`) lives behind this seam, so the server only
/// names a job by uid and a file by its path relative to the job's artifacts folder.
///
/// `stageflow up` and `stageflow apiserver` pass an implementation over their object store; without one the
/// report and artifact subresources answer 503.
public protocol ArtifactReader: Sendable {
    /// The job's unified `report.json`, or `nil` when there is none.
    func report(jobUID: String) async throws -> StoredArtifact?

    /// The object at `path` (relative to the job's artifacts folder, `/`-separated), or `nil` when there is none.
    /// Throws `ArtifactReaderError.invalidPath` for a path that could leave the job's folder.
    func artifact(jobUID: String, path: String) async throws -> StoredArtifact?
}

/// The bytes of one stored artifact and what they are.
public struct StoredArtifact: Sendable, Hashable {
    /// The content.
    public var data: Data
    /// The media type, when the store knows it.
    public var contentType: String?

    /// An artifact.
    public init(data: Data, contentType: String? = nil) {
        self.data = data
        self.contentType = contentType
    }
}

/// Why an artifact could not be read: a path that is not acceptable (answered 400), or a store that failed
/// (answered 503).
public struct ArtifactReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Problem: Sendable, Hashable {
        case invalidPath
        case unavailable
    }

    private let problem: Problem
    /// What was wrong, in words.
    public let message: String

    private init(_ problem: Problem, _ message: String) {
        self.problem = problem
        self.message = message
    }

    /// The path is not one safe relative key (`..`, absolute, empty segments, control characters).
    public static func invalidPath(_ message: String) -> ArtifactReaderError { ArtifactReaderError(.invalidPath, message) }

    /// The object store could not be read.
    public static func unavailable(_ message: String) -> ArtifactReaderError { ArtifactReaderError(.unavailable, message) }

    /// Whether the path was refused.
    public var isInvalidPath: Bool { problem == .invalidPath }

    /// The message.
    public var description: String { message }
}
