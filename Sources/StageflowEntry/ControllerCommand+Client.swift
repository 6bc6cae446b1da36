import ArgumentParser
import Foundation
import StageflowClient
import StageflowController
import StageflowHTTP
import StageflowRuntime

extension ControllerCommand {
    /// The HTTP client for an API server: trusting `--certificate-authority` when given.
    func httpClient(authority: String?, insecure: Bool = false, certificate: (String, String)? = nil) -> HTTPClient {
        HTTPClient(
            configuration: .init(
                userAgent: "stageflow-controller", caBundlePath: authority, insecureSkipTLSVerify: insecure,
                clientCertificatePath: certificate?.0, clientKeyPath: certificate?.1))
    }

    /// The client of the cluster's own API server (`--kubeconfig` or `--in-cluster`), where the CRDs are the API:
    /// its address, CA and credentials. A token is read at start (a ServiceAccount token stays valid for as long
    /// as the API server accepts it; a restart reads the rotated one).
    func clusterClient() async throws -> any ResourceClient {
        let connection = try controllers.kubernetes.connection()
        var certificate: (String, String)?
        if case .clientCertificate(let file, let key) = connection.credentials { certificate = (file, key) }
        let token = try await KubernetesAPI(connection: connection).bearerToken()
        let http = httpClient(
            authority: connection.certificateAuthorityFile, insecure: connection.insecureSkipTLSVerify, certificate: certificate)
        return APIResourceClient(client: StageflowClient(server: connection.server, token: token, http: http))
    }
}
