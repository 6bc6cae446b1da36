import Foundation
import Logging
import StageflowHTTP

/// Runs each job as a Podman pod — one container per scanner — through the Libpod REST API on Podman's unix
/// socket (libcurl). Pods and containers carry `stageflow.dev/job=<uid>` and are found by it alone.
public struct PodmanRuntime: PodRuntime {
    public let name = "podman"
    /// Where containers come from.
    public enum Image: Sendable, Hashable {
        /// A container image by reference (`registry/stageflow:1.0`, or a locally built one).
        case image(String)
        /// Development mode: the host's own root filesystem through a read-only overlay, so the host's build
        /// runs with no image registry at all.
        case hostRootOverlay
    }

    /// Everything the runtime needs to reach Podman and build containers.
    public struct Configuration: Sendable {
        /// Path of Podman's API socket.
        public var socketPath: String
        /// Container source.
        public var image: Image
        /// Host paths bind-mounted at the same path in every container (the object-store directory, say).
        public var bindMounts: [String]
        /// Host paths bind-mounted read-only at the same path: with the host root overlay, the directory of the
        /// `stageflow` build, which the tmpfs `/tmp` would hide when the build lives under `/tmp`.
        public var readOnlyBindMounts: [String]
        /// `nofile` limit set explicitly (raising it fails in unprivileged sandboxes).
        public var fileLimit: Int
        /// `nproc` limit set explicitly.
        public var processLimit: Int
        /// At most this many processes and threads in a container (its pids cgroup).
        public var pidsLimit: Int
        /// Size of the tmpfs every container gets as its writable `/tmp` (and working directory), the only
        /// writable place besides the bind mounts; its pages count against the container's memory limit.
        public var scratchMiB: Int

        /// A configuration.
        public init(
            socketPath: String, image: Image = .hostRootOverlay, bindMounts: [String] = [], readOnlyBindMounts: [String] = [],
            fileLimit: Int = 1024, processLimit: Int = 4096, pidsLimit: Int = 512, scratchMiB: Int = 1536
        ) {
            self.socketPath = socketPath
            self.image = image
            self.bindMounts = bindMounts
            self.readOnlyBindMounts = readOnlyBindMounts
            self.fileLimit = fileLimit
            self.processLimit = processLimit
            self.pidsLimit = pidsLimit
            self.scratchMiB = scratchMiB
        }
    }

    private let configuration: Configuration
    private let api: LibpodClient

    /// A runtime talking to the Podman service on `configuration.socketPath`.
    public init(configuration: Configuration, logger: Logger = Logger(label: "stageflow.runtime.podman")) {
        self.configuration = configuration
        self.api = LibpodClient(socketPath: configuration.socketPath)
    }

    static func podName(_ jobUID: String) -> String { "stageflow-\(jobUID)" }
    static func containerName(_ jobUID: String, _ scanner: String) -> String { "stageflow-\(jobUID)-\(scanner)" }

    public func ensurePod(_ spec: PodSpec) async throws {
        try await ensurePod(spec, restarts: [:])
    }

    /// `ensurePod`, labelling the containers named in `restarts` with their restart count.
    private func ensurePod(_ spec: PodSpec, restarts: [String: Int]) async throws {
        let podName = Self.podName(spec.jobUID)
        var labels = spec.labels
        labels[PodSpec.jobLabel] = spec.jobUID
        labels["stageflow.dev/name"] = spec.displayName
        if try await api.podExists(podName) == false {
            // No infra container (it would need a pause image); each container gets its network mode itself.
            let body: [String: Any] = ["name": podName, "labels": labels, "no_infra": true]
            try await api.createPod(body, name: podName)
        }
        let existing = try await api.containers(label: "\(PodSpec.jobLabel)=\(spec.jobUID)")
        for container in spec.containers {
            let name = Self.containerName(spec.jobUID, container.name)
            if let found = existing.first(where: { $0.name == name }) {
                if found.state == "created" || found.state == "configured" { try await api.start(name) }
                continue
            }
            var containerLabels = labels
            containerLabels[PodSpec.scannerLabel] = container.name
            if let limit = container.memoryLimitBytes { containerLabels[Self.memoryLimitLabel] = String(limit) }
            if let seconds = container.timeoutSeconds { containerLabels[Self.timeoutLabel] = String(seconds) }
            if let count = restarts[container.name] { containerLabels[Self.restartsLabel] = String(count) }
            try await api.createContainer(body(
                    for: container, jobUID: spec.jobUID, name: name, pod: podName, labels: containerLabels,
                    hostNetwork: spec.hostNetwork), name: name)
            try await api.start(name)
        }
    }

    /// The Libpod create body of one container, hardened: no new privileges (setuid binaries gain nothing),
    /// every capability dropped, a read-only root with a size-limited tmpfs `/tmp` as the only scratch space,
    /// a pids limit, and the memory limit with swap disabled.
    private func body(
        for container: ContainerSpec, jobUID: String, name: String, pod: String, labels: [String: String], hostNetwork: Bool
    )
        -> [String: Any]
    {
        // notmpcopyup: an empty tmpfs, not a copy of the image's /tmp (with the host root overlay, the host's).
        let scratch: [String: Any] = [
            "destination": "/tmp", "source": "tmpfs", "type": "tmpfs",
            "options": ["rw", "nosuid", "nodev", "notmpcopyup", "size=\(configuration.scratchMiB)m"],
        ]
        var body: [String: Any] = [
            "name": name,
            "pod": pod,
            "command": container.command,
            "env": container.environment,
            "labels": labels,
            "terminal": false,
            "r_limits": [
                ["type": "nofile", "soft": configuration.fileLimit, "hard": configuration.fileLimit],
                ["type": "nproc", "soft": configuration.processLimit, "hard": configuration.processLimit],
            ],
            "mounts": [scratch]
                + configuration.bindMounts.map { path in
                    ["destination": path, "source": path, "type": "bind", "options": ["rbind", "rw"]] as [String: Any]
                }
                + configuration.readOnlyBindMounts.map { path in
                    ["destination": path, "source": path, "type": "bind", "options": ["rbind", "ro"]] as [String: Any]
                },
            "work_dir": "/tmp",
            "no_new_privileges": true,
            "cap_drop": ["ALL"],
            "read_only_filesystem": true,
        ]
        switch configuration.image {
        case .image(let reference):
            body["image"] = reference
        case .hostRootOverlay:
            body["rootfs"] = "/"
            body["rootfs_overlay"] = true
        }
        if hostNetwork {
            body["netns"] = ["nsmode": "host"]
        } else if let peer = container.sharesNetworkWith {
            body["netns"] = ["nsmode": "container", "value": Self.containerName(jobUID, peer)]
        }
        var limits: [String: Any] = ["pids": ["limit": configuration.pidsLimit]]
        if let limit = container.memoryLimitBytes {
            // Swap equal to the memory limit means no swap at all.
            limits["memory"] = ["limit": limit, "swap": limit]
        }
        body["resource_limits"] = limits
        if let seconds = container.timeoutSeconds { body["timeout"] = seconds }
        return body
    }

    public func observe(jobUID: String) async throws -> PodObservation? {
        let containers = try await api.containers(label: "\(PodSpec.jobLabel)=\(jobUID)")
        if containers.isEmpty {
            return try await api.podExists(Self.podName(jobUID)) ? PodObservation(containers: [:]) : nil
        }
        var states: [String: ContainerState] = [:]
        var restarts: [String: Int] = [:]
        for container in containers {
            guard let scanner = container.labels[PodSpec.scannerLabel] else { continue }
            if let count = container.labels[Self.restartsLabel].flatMap(Int.init) { restarts[scanner] = count }
            switch container.state {
            case "running", "paused", "stopping":
                states[scanner] = .running
            case "exited", "stopped":
                let detail = try await api.inspect(container.name)
                states[scanner] = .exited(code: detail.exitCode, reason: Self.reason(detail, labels: container.labels))
            default:
                states[scanner] = .created
            }
        }
        return PodObservation(containers: states, restarts: restarts)
    }

    static let memoryLimitLabel = "stageflow.dev/memory-limit-bytes"
    static let restartsLabel = "stageflow.dev/restarts"
    static let timeoutLabel = "stageflow.dev/timeout-seconds"

    /// Why a container ended. Podman on cgroup v1 does not always report `OOMKilled`, so a SIGKILL that is not
    /// the time limit, in a container with a memory limit, is taken for the kernel's OOM killer (the only other
    /// sender of SIGKILL is the controller itself, which knows when it stops a container).
    static func reason(_ detail: LibpodClient.ContainerDetail, labels: [String: String]) -> String? {
        if detail.oomKilled { return "MemoryLimitExceeded" }
        guard detail.exitCode == 137 else { return nil }
        if let timeout = labels[timeoutLabel].flatMap(Double.init), let runtime = detail.runtimeSeconds,
            runtime >= timeout - 0.5
        {
            return "Timeout"
        }
        if labels[memoryLimitLabel] != nil { return "MemoryLimitExceeded" }
        return "Killed"
    }

    public func logs(jobUID: String, container: String, maxBytes: Int) async throws -> String {
        let text = try await api.logs(Self.containerName(jobUID, container))
        return String(decoding: Array(text.utf8.suffix(maxBytes)), as: UTF8.self)
    }

    public var restartsContainers: Bool { true }

    /// Podman's event stream is not read: the controller's poll finds exits.
    public func containerExits() -> AsyncStream<String> { AsyncStream { $0.finish() } }

    /// Removes the finished container and creates it again from `spec`.
    public func restartContainer(_ spec: PodSpec, container: String, restarts: Int) async throws {
        guard spec.containers.contains(where: { $0.name == container }) else {
            throw RuntimeError("the pod of job \(spec.jobUID) has no container \(container) to restart")
        }
        let name = Self.containerName(spec.jobUID, container)
        let existing = try await api.containers(label: "\(PodSpec.jobLabel)=\(spec.jobUID)")
        if let found = existing.first(where: { $0.name == name }) {
            if ["running", "paused", "stopping"].contains(found.state) { return }
            try await api.removeContainer(name)
        }
        var one = spec
        one.containers = spec.containers.filter { $0.name == container }
        try await ensurePod(one, restarts: [container: restarts])
    }

    public func stop(jobUID: String, container: String?) async throws {
        let containers = try await api.containers(label: "\(PodSpec.jobLabel)=\(jobUID)")
        for found in containers where found.state == "running" {
            if let container, found.labels[PodSpec.scannerLabel] != container { continue }
            try await api.kill(found.name)
        }
    }

    public func deletePod(jobUID: String) async throws {
        try await api.removePod(Self.podName(jobUID))
        // Containers created outside a pod (should a pod creation have been interrupted) go too.
        for container in try await api.containers(label: "\(PodSpec.jobLabel)=\(jobUID)") {
            try await api.removeContainer(container.name)
        }
    }

    public func podJobUIDs(installation: String?) async throws -> [String] {
        try await api.podLabels(PodSpec.jobLabel, alsoMatching: installation.map { ["\(PodSpec.installationLabel)=\($0)"] } ?? [])
    }
}
