import Foundation

/// Reads one context of a parsed kubeconfig into a `KubernetesConnection`.
struct KubeconfigReader {
    let file: String
    let document: [String: Any]
    let scratch: URL

    func connection(context requested: String?) throws -> KubernetesConnection {
        guard let contextName = requested ?? document["current-context"] as? String, !contextName.isEmpty else {
            throw error("no current-context, and no context was named")
        }
        let context = try entry("contexts", contextName, field: "context")
        guard let clusterName = context["cluster"] as? String else { throw error("contexts[\(contextName)].context.cluster: required") }
        let cluster = try entry("clusters", clusterName, field: "cluster")
        guard let serverText = cluster["server"] as? String, let server = URL(string: serverText), server.scheme != nil else {
            throw error("clusters[\(clusterName)].cluster.server: required, a URL")
        }
        var authority = (cluster["certificate-authority"] as? String).map(resolve)
        if let data = cluster["certificate-authority-data"] as? String {
            authority = try write(data, to: "ca.crt", field: "clusters[\(clusterName)].cluster.certificate-authority-data")
        }
        let user = try (context["user"] as? String).map { try entry("users", $0, field: "user") } ?? [:]
        return KubernetesConnection(
            server: server, certificateAuthorityFile: authority,
            insecureSkipTLSVerify: cluster["insecure-skip-tls-verify"] as? Bool ?? false,
            credentials: try credentials(user, name: context["user"] as? String ?? ""),
            namespace: (context["namespace"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "default")
    }

    private func credentials(_ user: [String: Any], name: String) throws -> KubernetesConnection.Credentials {
        let field = "users[\(name)].user"
        if let token = user["token"] as? String, !token.isEmpty { return .token(token) }
        if let tokenFile = user["tokenFile"] as? String { return .tokenFile(resolve(tokenFile)) }
        var certificate = (user["client-certificate"] as? String).map(resolve)
        var key = (user["client-key"] as? String).map(resolve)
        if let data = user["client-certificate-data"] as? String {
            certificate = try write(data, to: "client.crt", field: "\(field).client-certificate-data")
        }
        if let data = user["client-key-data"] as? String {
            key = try write(data, to: "client.key", field: "\(field).client-key-data")
        }
        if let certificate, let key { return .clientCertificate(certificateFile: certificate, keyFile: key) }
        if certificate != nil || key != nil { throw error("\(field): a client certificate needs both certificate and key") }
        if let exec = user["exec"] as? [String: Any] {
            guard let command = exec["command"] as? String else { throw error("\(field).exec.command: required") }
            var environment: [String: String] = [:]
            for variable in exec["env"] as? [[String: Any]] ?? [] {
                if let name = variable["name"] as? String, let value = variable["value"] as? String { environment[name] = value }
            }
            let resolved = command.contains("/") ? resolve(command) : command
            return .exec(command: resolved, arguments: (exec["args"] as? [Any] ?? []).map { "\($0)" }, environment: environment)
        }
        if user["auth-provider"] != nil { throw error("\(field).auth-provider: not supported; use an exec credential plugin") }
        return .none
    }

    /// The named entry of a kubeconfig list (`clusters`, `contexts`, `users`).
    private func entry(_ list: String, _ name: String, field: String) throws -> [String: Any] {
        for item in document[list] as? [[String: Any]] ?? [] where item["name"] as? String == name {
            guard let value = item[field] as? [String: Any] else { throw error("\(list)[\(name)].\(field): required") }
            return value
        }
        throw error("\(list): no entry named \"\(name)\"")
    }

    /// A path relative to the kubeconfig's directory.
    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path
    }

    /// Decodes base64 `data` into a file of the scratch directory, readable by this user only.
    private func write(_ data: String, to name: String, field: String) throws -> String {
        guard let bytes = Data(base64Encoded: data.filter { !$0.isWhitespace }) else { throw error("\(field): not base64") }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = scratch.appendingPathComponent(name).path
        guard FileManager.default.createFile(atPath: path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw error("cannot write \(path)")
        }
        return path
    }

    private func error(_ message: String) -> KubernetesConfigurationError {
        KubernetesConfigurationError("\(file): \(message)")
    }
}
