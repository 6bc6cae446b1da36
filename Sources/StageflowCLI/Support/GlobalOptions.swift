import ArgumentParser
import Foundation
import StageflowClient

/// Flags every command shares: where the server is, how to authenticate, which namespace.
public struct GlobalOptions: ParsableArguments, Sendable {
    /// The API server URL.
    @Option(name: .long, help: ArgumentHelp("The Stageflow API server URL (env STAGEFLOW_SERVER).", valueName: "url"))
    public var server: String?

    /// A bearer token.
    @Option(name: .long, help: ArgumentHelp("Bearer token for the API server (env STAGEFLOW_TOKEN).", valueName: "token"))
    public var token: String?

    /// The namespace.
    @Option(
        name: [.short, .long],
        help: ArgumentHelp("The namespace (env STAGEFLOW_NAMESPACE; default \"default\").", valueName: "namespace"))
    public var namespace: String?

    /// The config file.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Config file with server and token (env STAGEFLOW_CONFIG; default ~/.stageflow/config.yaml).",
            valueName: "path"))
    public var config: String?

    /// Parsed by ArgumentParser.
    public init() {}

    /// The settings these flags, the environment and the config file resolve to.
    public func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClientSettings {
        let path = config ?? ConfigFile.defaultPath(environment: environment)
        if config != nil, !FileManager.default.fileExists(atPath: path) {
            throw CLIError("the config file \"\(path)\" (from --config) does not exist")
        }
        return try ClientSettings.resolve(
            server: server, token: token, namespace: namespace, environment: environment,
            config: try ConfigFile.load(path: path))
    }
}
