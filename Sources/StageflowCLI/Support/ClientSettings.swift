import Foundation
import StageflowAPI
import StageflowClient

/// Where `stageflowctl` connects and as whom, resolved in one place: a flag wins over its environment variable,
/// which wins over the config file, which wins over the default.
public struct ClientSettings: Sendable, Hashable {
    /// The API server.
    public var server: URL
    /// The bearer token, if any.
    public var token: String?
    /// The namespace used when a command and the manifest name none.
    public var namespace: String
    /// Whether the namespace came from `--namespace` (rather than the environment, config or default).
    public var namespaceFromFlag: Bool

    /// `http://127.0.0.1:8080`.
    public static let defaultServer = "http://127.0.0.1:8080"

    /// A settings value.
    public init(server: URL, token: String? = nil, namespace: String = Names.defaultNamespace, namespaceFromFlag: Bool = false) {
        self.server = server
        self.token = token
        self.namespace = namespace
        self.namespaceFromFlag = namespaceFromFlag
    }

    /// Resolves settings from flags (`nil` when not given), the environment (`STAGEFLOW_SERVER`,
    /// `STAGEFLOW_TOKEN`, `STAGEFLOW_NAMESPACE`) and the config file.
    public static func resolve(
        server serverFlag: String?, token tokenFlag: String?, namespace namespaceFlag: String?,
        environment: [String: String], config: ConfigFile?
    ) throws -> ClientSettings {
        func pick(_ flag: String?, _ flagName: String, _ variable: String, _ configValue: String?, _ key: String)
            -> (String, String)?
        {
            if let flag, !flag.isEmpty { return (flag, flagName) }
            if let value = environment[variable], !value.isEmpty { return (value, variable) }
            if let configValue, !configValue.isEmpty, let config { return (configValue, "\(key) in \(config.path)") }
            return nil
        }
        let (serverText, serverSource) =
            pick(serverFlag, "--server", "STAGEFLOW_SERVER", config?.server, "server") ?? (defaultServer, "default")
        let server = try serverURL(serverText, source: serverSource)
        let token =
            pick(tokenFlag, "--token", "STAGEFLOW_TOKEN", config?.token, "token")?.0
            ?? (isLoopback(server) ? localAdminToken(environment: environment) : nil)
        let namespace = pick(namespaceFlag, "--namespace", "STAGEFLOW_NAMESPACE", config?.namespace, "namespace")
        if let (value, source) = namespace, let problem = Names.dns1123LabelProblem(value) {
            throw CLIError("invalid namespace \"\(value)\" (from \(source)): \(problem)", exitCode: 2)
        }
        return ClientSettings(
            server: server, token: token,
            namespace: namespace?.0 ?? Names.defaultNamespace, namespaceFromFlag: namespace?.1 == "--namespace")
    }

    /// The admin token a `stageflow up` on this machine keeps in its data directory (`$STAGEFLOW_DATA_DIR`, else
    /// `~/.stageflow/data`), when readable: how `stageflowctl` works against a local default install with no
    /// configuration.
    static func localAdminToken(environment: [String: String]) -> String? {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let directory = environment["STAGEFLOW_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.stageflow/data"
        guard let text = try? String(contentsOfFile: "\(directory)/admin-token", encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// Whether the server is on this machine's loopback.
    static func isLoopback(_ url: URL) -> Bool {
        let host = (url.host ?? "").lowercased()
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// Parses a server URL; `host:port` without a scheme means `http://host:port`.
    public static func serverURL(_ text: String, source: String) throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let url = URL(string: withScheme), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw CLIError(
                "invalid server URL \"\(text)\" (from \(source)): expected http://HOST[:PORT] or https://HOST[:PORT]",
                exitCode: 2)
        }
        return url
    }

    /// A client for these settings.
    public func makeClient() -> StageflowClient {
        StageflowClient(server: server, token: token)
    }
}
