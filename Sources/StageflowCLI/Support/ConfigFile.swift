import Foundation
import StageflowAPI
import Yams

/// The user's `~/.stageflow/config.yaml`: where the API server is and how to authenticate.
///
/// ```yaml
/// server: http://127.0.0.1:8080
/// token: s3cr3t
/// namespace: team-a
/// ```
public struct ConfigFile: Sendable, Hashable {
    /// Where the file was read from.
    public var path: String
    /// `server:`, the API server URL.
    public var server: String?
    /// `token:`, a bearer token.
    public var token: String?
    /// `namespace:`, the default namespace.
    public var namespace: String?

    /// A configuration with the given values.
    public init(path: String, server: String? = nil, token: String? = nil, namespace: String? = nil) {
        self.path = path
        self.server = server
        self.token = token
        self.namespace = namespace
    }

    /// Parses the file's text; unknown keys are ignored, malformed YAML is reported with its line and column.
    public init(path: String, yaml: String) throws {
        self.path = path
        let documents: [JSONValue]
        do {
            documents = try YAMLConversion.documents(yaml)
        } catch let error as YAMLConversion.Problem {
            throw CLIError("\(path): \(error.description)")
        }
        guard let document = documents.first else { return }
        guard case .object(let members) = document else {
            throw CLIError("\(path): expected a mapping with server and token, found \(document.typeName)")
        }
        func text(_ key: String) throws -> String? {
            switch members[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            case let other?: throw CLIError("\(path): \(key) must be a string, found \(other.typeName)")
            }
        }
        server = try text("server")
        token = try text("token")
        namespace = try text("namespace")
    }

    /// Reads the file at `path`, or returns `nil` when there is none.
    public static func load(path: String) throws -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot be read")
        }
        return try ConfigFile(path: path, yaml: String(decoding: data, as: UTF8.self))
    }

    /// `STAGEFLOW_CONFIG`, else `~/.stageflow/config.yaml`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let path = environment["STAGEFLOW_CONFIG"], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".stageflow/config.yaml")
    }
}
