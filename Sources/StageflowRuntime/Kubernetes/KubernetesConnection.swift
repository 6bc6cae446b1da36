import Foundation
import Yams

/// Where a Kubernetes API server is and how to authenticate to it: read from a kubeconfig file (bearer token,
/// token file, client certificate or an exec credential plugin), or from inside a pod (in-cluster:
/// `KUBERNETES_SERVICE_HOST`, the ServiceAccount token — read again before each request, since the kubelet
/// rotates it — and the cluster CA).
public struct KubernetesConnection: Sendable, Hashable {
    /// How requests authenticate.
    public enum Credentials: Sendable, Hashable {
        /// None (a server that authenticates by other means, or tests).
        case none
        /// A fixed bearer token.
        case token(String)
        /// A bearer token in a file, read again before each request (a rotated ServiceAccount token).
        case tokenFile(String)
        /// A client certificate and its key (PEM files).
        case clientCertificate(certificateFile: String, keyFile: String)
        /// A client-go exec credential plugin that prints an `ExecCredential` with a token.
        case exec(command: String, arguments: [String], environment: [String: String])
    }

    /// The API server, `https://host:port` (a path prefix is kept).
    public var server: URL
    /// PEM certificate authorities to trust instead of the system's.
    public var certificateAuthorityFile: String?
    /// Skip verifying the server's certificate (kubeconfig's `insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify: Bool
    /// How requests authenticate.
    public var credentials: Credentials
    /// The namespace of the context (or the pod, in-cluster); `default` when none is named.
    public var namespace: String

    /// A connection.
    public init(
        server: URL, certificateAuthorityFile: String? = nil, insecureSkipTLSVerify: Bool = false, credentials: Credentials = .none,
        namespace: String = "default"
    ) {
        self.server = server
        self.certificateAuthorityFile = certificateAuthorityFile
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.credentials = credentials
        self.namespace = namespace
    }

    /// The directory a pod's ServiceAccount is mounted at.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The connection of a process running in a pod, from `KUBERNETES_SERVICE_HOST`/`_PORT` and the mounted
    /// ServiceAccount (`token`, `ca.crt`, `namespace` in `directory`).
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment, directory: String = serviceAccountDirectory
    ) throws -> KubernetesConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty, let port = environment["KUBERNETES_SERVICE_PORT"] else {
            throw KubernetesConfigurationError("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set")
        }
        let token = directory + "/token"
        guard FileManager.default.isReadableFile(atPath: token) else {
            throw KubernetesConfigurationError("\(token): cannot be read (is a ServiceAccount token mounted?)")
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(shownHost):\(port)") else {
            throw KubernetesConfigurationError("KUBERNETES_SERVICE_HOST \(host) and _PORT \(port) make no URL")
        }
        let namespace = (try? String(contentsOfFile: directory + "/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let authority = directory + "/ca.crt"
        return KubernetesConnection(
            server: server, certificateAuthorityFile: FileManager.default.fileExists(atPath: authority) ? authority : nil,
            credentials: .tokenFile(token), namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
    }

    /// The connection of a kubeconfig's context (its `current-context` unless `context` names another). Data
    /// fields (`certificate-authority-data`, `client-certificate-data`, `client-key-data`) are written to files
    /// readable by this user only in `scratch`; relative paths are read against the kubeconfig's directory.
    public static func kubeconfig(
        file: String, context requested: String? = nil,
        scratch: URL = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-kubeconfig-\(UUID().uuidString)")
    ) throws -> KubernetesConnection {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw KubernetesConfigurationError("\(file): cannot be read: \(error.localizedDescription)")
        }
        let document: [String: Any]
        do {
            guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw KubernetesConfigurationError("not a mapping") }
            document = root
        } catch {
            throw KubernetesConfigurationError("\(file): not a kubeconfig: \(error)")
        }
        return try KubeconfigReader(file: file, document: document, scratch: scratch).connection(context: requested)
    }
}

/// A kubeconfig or in-cluster setting that cannot be used: what is wrong and where.
public struct KubernetesConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, naming the file and field.
    public let description: String

    /// An error.
    public init(_ description: String) { self.description = description }
}
