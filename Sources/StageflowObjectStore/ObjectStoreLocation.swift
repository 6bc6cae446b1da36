import Foundation
import Logging

/// Where the object store is, as an operator writes it in a flag or environment variable:
///
/// - a plain path (`/var/lib/stageflow/objects`, `./data/objects`) or a `file://` URL: a directory
///   (`FilesystemObjectStore`); relative paths are resolved against the current directory;
/// - `s3://<bucket>?endpoint=http://127.0.0.1:9000&region=us-east-1`: an S3-compatible bucket (`S3ObjectStore`),
///   credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or parameters (see
///   `S3ObjectStore.Configuration.init(url:environment:)`);
/// - anything else with a scheme is refused with an error that lists the accepted forms.
public enum ObjectStoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A directory.
    case filesystem(root: URL)
    /// An S3 bucket.
    case s3(S3ObjectStore.Configuration)

    /// Parses a location; throws `ObjectStoreError` of kind `.invalidConfiguration` naming the text and what is
    /// wrong with it.
    public init(
        parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func invalid(_ message: String) -> ObjectStoreError {
            ObjectStoreError(
                .invalidConfiguration,
                store: "object store location \(String(reflecting: S3ObjectStore.Configuration.redacted(trimmed)))",
                message: message)
        }
        guard !trimmed.isEmpty else { throw invalid("it is empty; give a directory path, file:// URL or s3:// URL") }
        guard let scheme = Self.scheme(of: trimmed) else {
            let absolute = trimmed.hasPrefix("/") ? trimmed : "\(currentDirectory)/\(trimmed)"
            self = .filesystem(root: URL(fileURLWithPath: absolute).standardizedFileURL)
            return
        }
        switch scheme.lowercased() {
        case "file":
            guard let url = URL(string: trimmed), url.isFileURL else { throw invalid("not a valid file:// URL") }
            guard url.host == nil || url.host == "" || url.host == "localhost" else {
                throw invalid("a file:// URL must name a local path (file:///path), not host \(url.host ?? "")")
            }
            guard !url.path.isEmpty else { throw invalid("the file:// URL has no path") }
            self = .filesystem(root: URL(fileURLWithPath: url.path).standardizedFileURL)
        case "s3":
            self = .s3(try S3ObjectStore.Configuration(url: trimmed, environment: environment))
        default:
            throw invalid(
                "unsupported scheme \(scheme)://; give a directory path, a file:// URL or s3://<bucket>?endpoint=…")
        }
    }

    /// Opens the store at this location (creating the directory of a filesystem store).
    /// The store at this location. `retryWindow` bounds how long an S3 request keeps retrying when the service is
    /// away: scanners keep their default (two minutes, unless the URL says `retrySeconds`), while the API server
    /// and the controllers, which answer clients and requeue with backoff, fail sooner.
    public func makeStore(logger: Logger = Logger(label: "stageflow.objectstore"), retryWindow: Duration? = nil) throws
        -> any ObjectStore
    {
        switch self {
        case .filesystem(let root):
            return try FilesystemObjectStore(root: root, logger: logger)
        case .s3(var configuration):
            if let retryWindow { configuration.retryWindow = Swift.min(configuration.retryWindow, retryWindow) }
            return try S3ObjectStore(configuration: configuration, logger: logger)
        }
    }

    /// How long the API server and the controllers retry an S3 request before the failure is theirs to handle.
    public static let serviceRetryWindow: Duration = .seconds(5)

    /// The directory path, or the bucket and endpoint; never a secret.
    public var description: String {
        switch self {
        case .filesystem(let root): "directory \(root.path)"
        case .s3(let configuration): configuration.description
        }
    }

    /// The scheme of `text` if it starts with `scheme://` (letters, digits, `+ - .`, starting with a letter).
    private static func scheme(of text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let candidate = text[..<range.lowerBound]
        guard let first = candidate.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
            candidate.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return nil }
        return String(candidate)
    }
}
