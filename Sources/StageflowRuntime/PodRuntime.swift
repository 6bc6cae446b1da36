/// Runs the scanner containers of a job and reports what they are doing. Implementations find a job's pod by
/// the label `stageflow.dev/job=<uid>` alone, so a restarted controller sees exactly what is running.
public protocol PodRuntime: Sendable {
    /// Short name for status messages (`process`, `podman`).
    var name: String { get }

    /// Creates and starts the pod and any of its containers that do not exist yet. Idempotent: calling it again
    /// (after a crash, say) never duplicates a pod or a container.
    func ensurePod(_ spec: PodSpec) async throws

    /// The pod of a job, or `nil` when there is none.
    func observe(jobUID: String) async throws -> PodObservation?

    /// The job uid of each container that ends, as soon as this runtime sees it end, for the controller to look at
    /// that job at once instead of at its next poll. A runtime that cannot tell returns a stream that ends at once
    /// (polling finds the exit). A second call ends the first call's stream.
    func containerExits() -> AsyncStream<String>

    /// The last `maxBytes` bytes of a container's output.
    func logs(jobUID: String, container: String, maxBytes: Int) async throws -> String

    /// Whether `restartContainer` can run one finished container of a pod again. Kubernetes cannot: a pod's
    /// containers are fixed once it is created, and its restart policy is the kubelet's to apply.
    var restartsContainers: Bool { get }

    /// Runs one finished container of a job's pod again, from its spec in `spec`, with a fresh state and log:
    /// the controller's retry of a scanner its infrastructure failed (`docs/architecture.md`, "Faults"). The new
    /// container carries `restarts`, which `observe` reports (`PodObservation.restarts`): the runtime, not a
    /// possibly stale status, is the record of how often a container ran again. Leaves a container that is running
    /// alone, so a repeated call starts it once.
    func restartContainer(_ spec: PodSpec, container: String, restarts: Int) async throws

    /// Kills one container (or, with `nil`, all) of a job's pod, leaving their state observable.
    func stop(jobUID: String, container: String?) async throws

    /// Stops and removes a job's pod and everything in it. Idempotent.
    func deletePod(jobUID: String) async throws

    /// The job uids of the pods this runtime has, for garbage collection; with `installation`, only those of pods
    /// labelled `stageflow.dev/installation=<installation>` — a Podman service or a Kubernetes namespace may hold
    /// the pods of other Stageflow installations, whose jobs this one does not know and must not collect.
    func podJobUIDs(installation: String?) async throws -> [String]
}

extension PodRuntime {
    /// The job uids of every pod this runtime has.
    public func podJobUIDs() async throws -> [String] {
        try await podJobUIDs(installation: nil)
    }
}

/// The pod of one job: one container per scanner (and, for an archive job, the container serving the archive).
public struct PodSpec: Sendable, Hashable {
    /// Uid of the job; the pod is labelled with it.
    public var jobUID: String
    /// Readable name, `<namespace>-<job name>`, for people listing pods.
    public var displayName: String
    /// Containers, one per scanner.
    public var containers: [ContainerSpec]
    /// Share the host network (jobs that may scan private targets).
    public var hostNetwork: Bool
    /// Extra labels.
    public var labels: [String: String]

    /// A pod spec.
    public init(jobUID: String, displayName: String, containers: [ContainerSpec], hostNetwork: Bool, labels: [String: String] = [:]) {
        self.jobUID = jobUID
        self.displayName = displayName
        self.containers = containers
        self.hostNetwork = hostNetwork
        self.labels = labels
    }

    /// The label every pod and container of a job carries.
    public static let jobLabel = "stageflow.dev/job"
    /// The label naming the installation whose controller made the pod (see `PodRuntime.podJobUIDs`).
    public static let installationLabel = "stageflow.dev/installation"
    /// The label naming a container's scanner.
    public static let scannerLabel = "stageflow.dev/scanner"
}

/// One scanner container.
public struct ContainerSpec: Sendable, Hashable {
    /// Scanner id; unique in the pod.
    public var name: String
    /// argv.
    public var command: [String]
    /// Environment.
    public var environment: [String: String]
    /// Memory limit in bytes (swap disabled); `nil` for none.
    public var memoryLimitBytes: Int64?
    /// Wall-clock limit in seconds after which the container is killed; `nil` for none.
    public var timeoutSeconds: Int64?
    /// Another container of the pod whose network (and loopback) this one joins: scanners of an archive job
    /// reach the site its archive container serves on `127.0.0.1`. Ignored where every container already
    /// shares one network (host network, local processes).
    public var sharesNetworkWith: String?

    /// A container spec.
    public init(
        name: String, command: [String], environment: [String: String] = [:], memoryLimitBytes: Int64? = nil,
        timeoutSeconds: Int64? = nil, sharesNetworkWith: String? = nil
    ) {
        self.name = name
        self.command = command
        self.environment = environment
        self.memoryLimitBytes = memoryLimitBytes
        self.timeoutSeconds = timeoutSeconds
        self.sharesNetworkWith = sharesNetworkWith
    }
}

/// What a runtime sees of a pod.
public struct PodObservation: Sendable, Hashable {
    /// State per container name.
    public var containers: [String: ContainerState]
    /// How often each container was run again by `PodRuntime.restartContainer` (absent: never).
    public var restarts: [String: Int]

    /// An observation.
    public init(containers: [String: ContainerState], restarts: [String: Int] = [:]) {
        self.containers = containers
        self.restarts = restarts
    }
}

/// The state of one container.
public enum ContainerState: Sendable, Hashable {
    /// Created, not started yet.
    case created
    /// Running.
    case running
    /// Finished with an exit code; `reason` says why when the runtime knows (`OOMKilled`, `Timeout`, `Killed`).
    case exited(code: Int32, reason: String?)

    /// Whether the container has finished.
    public var isFinished: Bool {
        if case .exited = self { return true }
        return false
    }
}

/// A runtime failure that names what failed; retried with backoff by the controller.
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
    /// What failed.
    public let description: String

    /// An error.
    public init(_ description: String) { self.description = description }
}
