import Foundation
import StageflowRuntime
import Testing

/// Reading a cluster connection: kubeconfig contexts with a token, a client certificate (data or files) or an
/// exec plugin, and the in-cluster ServiceAccount.
@Suite("Kubernetes connection settings")
struct KubernetesConnectionTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-kubeconfig-test-\(UUID().uuidString)")

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: token
        clusters:
          - name: prod
            cluster:
              server: https://10.1.2.3:6443
              certificate-authority-data: \(Data("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n".utf8).base64EncodedString())
          - name: lab
            cluster:
              server: https://lab.example:6443
              certificate-authority: lab-ca.crt
        users:
          - name: robot
            user: {token: secret-token}
          - name: person
            user:
              client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
              client-key-data: \(Data("KEY".utf8).base64EncodedString())
          - name: cloud
            user:
              exec:
                apiVersion: client.authentication.k8s.io/v1
                command: ./get-token
                args: [--cluster, lab]
                env: [{name: REGION, value: eu}]
        contexts:
          - name: token
            context: {cluster: prod, user: robot, namespace: scans}
          - name: certificate
            context: {cluster: prod, user: person}
          - name: exec
            context: {cluster: lab, user: cloud}
        """

    @Test("the current context: server, CA data written to a private file, token, namespace")
    func tokenContext() throws {
        let file = try write("config", Self.kubeconfig)
        let connection = try KubernetesConnection.kubeconfig(file: file, scratch: directory.appendingPathComponent("scratch"))
        #expect(connection.server.absoluteString == "https://10.1.2.3:6443")
        #expect(connection.credentials == .token("secret-token"))
        #expect(connection.namespace == "scans")
        let authority = try #require(connection.certificateAuthorityFile)
        #expect(try String(contentsOfFile: authority, encoding: .utf8).contains("CA"))
        let mode = try FileManager.default.attributesOfItem(atPath: authority)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("client certificate data, and an exec plugin with paths relative to the kubeconfig")
    func otherContexts() throws {
        let file = try write("config", Self.kubeconfig)
        let certificate = try KubernetesConnection.kubeconfig(file: file, context: "certificate", scratch: directory.appendingPathComponent("s1"))
        guard case .clientCertificate(let cert, let key) = certificate.credentials else {
            Issue.record("expected a client certificate, got \(certificate.credentials)")
            return
        }
        #expect(try String(contentsOfFile: cert, encoding: .utf8) == "CERT")
        #expect(try String(contentsOfFile: key, encoding: .utf8) == "KEY")
        #expect(certificate.namespace == "default")
        let exec = try KubernetesConnection.kubeconfig(file: file, context: "exec")
        #expect(exec.credentials == .exec(command: directory.appendingPathComponent("get-token").path, arguments: ["--cluster", "lab"], environment: ["REGION": "eu"]))
        #expect(exec.certificateAuthorityFile == directory.appendingPathComponent("lab-ca.crt").path)
    }

    @Test("a missing context or cluster is an error naming the file and the entry")
    func errors() throws {
        let file = try write("config", Self.kubeconfig)
        let missing = #expect(throws: KubernetesConfigurationError.self) { _ = try KubernetesConnection.kubeconfig(file: file, context: "nope") }
        #expect(missing?.description.contains("contexts: no entry named \"nope\"") == true)
        #expect(missing?.description.contains(file) == true)
        let broken = try write("broken", "clusters: [unclosed")
        #expect(throws: KubernetesConfigurationError.self) { _ = try KubernetesConnection.kubeconfig(file: broken) }
    }

    @Test("in-cluster: the service host and port, the mounted token (as a file, read per request), CA and namespace")
    func inCluster() throws {
        _ = try write("token", "sa-token")
        _ = try write("ca.crt", "CA")
        _ = try write("namespace", "stageflow\n")
        let connection = try KubernetesConnection.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"], directory: directory.path)
        #expect(connection.server.absoluteString == "https://10.96.0.1:443")
        #expect(connection.credentials == .tokenFile(directory.appendingPathComponent("token").path))
        #expect(connection.certificateAuthorityFile == directory.appendingPathComponent("ca.crt").path)
        #expect(connection.namespace == "stageflow")
        #expect(throws: KubernetesConfigurationError.self) { _ = try KubernetesConnection.inCluster(environment: [:], directory: directory.path) }
    }
}
