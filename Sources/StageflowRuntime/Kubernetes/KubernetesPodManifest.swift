/// The scanner pod of one job as a Kubernetes `core/v1` Pod object: labelled with the job's uid, every container
/// confined as the restricted Pod Security Standard asks (non-root, read-only root, every capability dropped,
/// seccomp RuntimeDefault, no privilege escalation, no ServiceAccount token), memory limited, the whole pod
/// bounded by `activeDeadlineSeconds`, and — where the job lives on the same cluster, in the pod's namespace —
/// owned by its ScanJob, so the cluster's garbage collector removes it with the job.
public struct KubernetesPodManifest: Sendable {
    /// How the pods are made, beyond what the job's `PodSpec` says.
    public struct Settings: Sendable, Hashable {
        /// The image the containers run: a Stageflow image (the Containerfile's), whose `stageflow` runs the scanners.
        public var image: String
        /// The ServiceAccount the pods run as (one without API rights).
        public var serviceAccountName: String
        /// A Secret whose keys become every container's environment (object-store credentials); `nil` for none.
        public var environmentSecret: String?
        /// The numeric user and group the containers run as (the image's non-root user).
        public var userID: Int
        /// Size of the writable `/tmp` (an `emptyDir`), the containers' only scratch space, in MiB.
        public var scratchMiB: Int
        /// Seconds the pod may run beyond its longest container timeout before the kubelet ends it.
        public var deadlineMarginSeconds: Int
        /// CPU a container asks for; its limit is not set, as a scan's CPU need varies page by page.
        public var cpuRequest: String

        /// Settings; the defaults match `deploy/kubernetes`.
        public init(
            image: String, serviceAccountName: String = "stageflow-scanner", environmentSecret: String? = nil, userID: Int = 10001,
            scratchMiB: Int = 1536, deadlineMarginSeconds: Int = 120, cpuRequest: String = "250m"
        ) {
            self.image = image
            self.serviceAccountName = serviceAccountName
            self.environmentSecret = environmentSecret
            self.userID = userID
            self.scratchMiB = scratchMiB
            self.deadlineMarginSeconds = deadlineMarginSeconds
            self.cpuRequest = cpuRequest
        }
    }

    /// The ScanJob a pod belongs to, for its owner reference.
    public struct Owner: Sendable, Hashable {
        /// The job's name.
        public var name: String
        /// The job's uid.
        public var uid: String

        /// An owner.
        public init(name: String, uid: String) {
            self.name = name
            self.uid = uid
        }
    }

    /// Pod settings.
    public let settings: Settings

    /// A manifest builder.
    public init(settings: Settings) { self.settings = settings }

    /// The pod's name: `stageflow-<job uid>`.
    public static func podName(_ jobUID: String) -> String { "stageflow-\(jobUID)" }

    /// The default memory limit of a container whose scanner states none.
    public static let defaultMemoryBytes: Int64 = 1024 * 1024 * 1024

    /// The Pod object for `spec` in `namespace`, owned by `owner` when given.
    public func pod(for spec: PodSpec, namespace: String, owner: Owner?) -> [String: Any] {
        var labels = spec.labels.filter { Self.isLabelValue($0.value) }
        labels[PodSpec.jobLabel] = spec.jobUID
        labels["app.kubernetes.io/name"] = "stageflow-scanner"
        labels["app.kubernetes.io/part-of"] = "stageflow"
        var metadata: [String: Any] = [
            "name": Self.podName(spec.jobUID), "namespace": namespace, "labels": labels,
            "annotations": ["stageflow.dev/display-name": spec.displayName],
        ]
        if let owner {
            metadata["ownerReferences"] = [
                [
                    "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "name": owner.name, "uid": owner.uid, "controller": true,
                    "blockOwnerDeletion": false,
                ]
            ]
        }
        var podSpec: [String: Any] = [
            "restartPolicy": "Never",
            "serviceAccountName": settings.serviceAccountName,
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "terminationGracePeriodSeconds": 10,
            "securityContext": [
                "runAsNonRoot": true, "runAsUser": settings.userID, "runAsGroup": settings.userID, "fsGroup": settings.userID,
                "seccompProfile": ["type": "RuntimeDefault"],
            ],
            "containers": spec.containers.map(container),
            "volumes": [["name": "tmp", "emptyDir": ["sizeLimit": "\(settings.scratchMiB)Mi"]]],
        ]
        if let longest = spec.containers.compactMap(\.timeoutSeconds).max() {
            podSpec["activeDeadlineSeconds"] = Int(longest) + settings.deadlineMarginSeconds
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": podSpec]
    }

    private func container(_ spec: ContainerSpec) -> [String: Any] {
        // Chromium's own sandbox needs user namespaces, which a restricted pod does not get; the pod is the sandbox.
        var environment = spec.environment
        environment["STAGEFLOW_CHROMIUM_NO_SANDBOX"] = "1"
        environment["HOME"] = "/tmp"
        let memory = spec.memoryLimitBytes ?? Self.defaultMemoryBytes
        var container: [String: Any] = [
            "name": spec.name,
            "image": settings.image,
            "imagePullPolicy": "IfNotPresent",
            "command": spec.command,
            "workingDir": "/tmp",
            "env": environment.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            "resources": [
                "requests": ["cpu": settings.cpuRequest, "memory": "\(memory)"],
                "limits": ["memory": "\(memory)"],
            ],
            "securityContext": [
                "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true,
                "capabilities": ["drop": ["ALL"]],
            ],
            "volumeMounts": [["name": "tmp", "mountPath": "/tmp"]],
        ]
        if let secret = settings.environmentSecret {
            container["envFrom"] = [["secretRef": ["name": secret]]]
        }
        return container
    }

    /// Whether `value` is a valid label value (at most 63 alphanumerics, `-`, `_`, `.`, alphanumeric at both ends).
    static func isLabelValue(_ value: String) -> Bool {
        guard value.count <= 63 else { return false }
        guard let first = value.first, let last = value.last else { return true }
        let allowed = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        return allowed && (first.isLetter || first.isNumber) && (last.isLetter || last.isNumber)
    }
}
