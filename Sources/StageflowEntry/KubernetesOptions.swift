import ArgumentParser
import Foundation
import Logging
import StageflowRuntime

/// Flags of the Kubernetes side of the controllers: which cluster (`--kubeconfig` or `--in-cluster`) and how
/// scanner pods are made there (`--runtime kubernetes`).
struct KubernetesOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "kubeconfig of the cluster for --runtime kubernetes (and, for stageflow controller without --server, whose API holds the CRDs); token, client certificate and exec plugins are understood (env STAGEFLOW_KUBECONFIG).",
            valueName: "file"))
    var kubeconfig: String? = Environment.string("STAGEFLOW_KUBECONFIG")

    @Option(name: .long, help: ArgumentHelp("The kubeconfig context to use instead of its current-context.", valueName: "name"))
    var kubeContext: String?

    @Flag(
        name: .long,
        help: "Reach the cluster this process runs in: KUBERNETES_SERVICE_HOST, the ServiceAccount token (read again as it rotates) and CA (env STAGEFLOW_IN_CLUSTER).")
    var inCluster: Bool = Environment.flag("STAGEFLOW_IN_CLUSTER")

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Namespace of scanner pods under --runtime kubernetes; without it, the cluster connection's namespace (env STAGEFLOW_SCANNER_NAMESPACE).",
            valueName: "namespace"))
    var scannerNamespace: String? = Environment.string("STAGEFLOW_SCANNER_NAMESPACE")

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Secret whose keys become the environment of scanner pods (object-store credentials) under --runtime kubernetes (env STAGEFLOW_SCANNER_ENV_SECRET).",
            valueName: "name"))
    var scannerEnvSecret: String? = Environment.string("STAGEFLOW_SCANNER_ENV_SECRET")

    func validate() throws {
        if inCluster && kubeconfig != nil { throw ValidationError("give either --kubeconfig or --in-cluster, not both") }
    }

    /// Whether a cluster is named at all.
    var namesCluster: Bool { inCluster || kubeconfig != nil }

    /// The cluster connection the flags name.
    func connection() throws -> KubernetesConnection {
        do {
            if inCluster { return try .inCluster() }
            guard let kubeconfig else {
                throw ValidationError("--runtime kubernetes needs --kubeconfig FILE or --in-cluster")
            }
            return try .kubeconfig(file: kubeconfig, context: kubeContext)
        } catch let error as KubernetesConfigurationError {
            throw ValidationError("\(error)")
        }
    }

    /// The runtime of scanner pods on that cluster, running `image`.
    func runtime(image: String?, logger: Logger) throws -> KubernetesRuntime {
        guard let image else {
            throw ValidationError("--runtime kubernetes needs --scanner-image: a Stageflow image the cluster can pull (see deploy/Containerfile)")
        }
        let connection = try connection()
        return KubernetesRuntime(
            api: KubernetesAPI(connection: connection),
            configuration: .init(
                namespace: scannerNamespace ?? connection.namespace,
                pod: .init(image: image, environmentSecret: scannerEnvSecret)),
            logger: logger)
    }
}
