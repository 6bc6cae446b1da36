import Foundation
import Logging

/// Runs each job's scanners as one Pod on a Kubernetes cluster, through its API: create, observe by the pod's
/// container statuses, logs from the pod log endpoint, stop by ending the pod's deadline, delete and wait for
/// it to be gone, and list every Stageflow pod for garbage collection. Results go to the object store, as with
/// every runtime.
public struct KubernetesRuntime: PodRuntime {
    /// Where pods go and how they are made.
    public struct Configuration: Sendable {
        /// The namespace scanner pods run in; `nil` puts each in its job's namespace (label
        /// `stageflow.dev/namespace`), owned by the ScanJob — for ScanJobs that live on this same cluster.
        public var namespace: String?
        /// How the pods are made.
        public var pod: KubernetesPodManifest.Settings
        /// How long `deletePod` waits for a pod to be gone before leaving the rest to the cluster.
        public var deletionWait: Duration

        /// A configuration.
        public init(namespace: String?, pod: KubernetesPodManifest.Settings, deletionWait: Duration = .seconds(60)) {
            self.namespace = namespace
            self.pod = pod
            self.deletionWait = deletionWait
        }
    }

    public var name: String { "kubernetes" }

    let api: KubernetesAPI
    let configuration: Configuration
    let manifest: KubernetesPodManifest
    let logger: Logger

    /// A runtime on the cluster `api` reaches.
    public init(api: KubernetesAPI, configuration: Configuration, logger: Logger = Logger(label: "stageflow.runtime.kubernetes")) {
        self.api = api
        self.configuration = configuration
        self.manifest = KubernetesPodManifest(settings: configuration.pod)
        self.logger = logger
    }

    static let jobNamespaceLabel = "stageflow.dev/namespace"

    /// The namespace of a job's pod, and whether the pod is owned by the ScanJob there.
    func placement(_ spec: PodSpec) -> (namespace: String, owned: Bool) {
        if let namespace = configuration.namespace { return (namespace, false) }
        return (spec.labels[Self.jobNamespaceLabel] ?? api.connection.namespace, true)
    }

    func podPath(_ namespace: String, _ jobUID: String) -> String {
        "/api/v1/namespaces/\(namespace)/pods/\(KubernetesPodManifest.podName(jobUID))"
    }

    public func ensurePod(_ spec: PodSpec) async throws {
        let (namespace, owned) = placement(spec)
        let owner = owned ? spec.labels["stageflow.dev/name"].map { KubernetesPodManifest.Owner(name: $0, uid: spec.jobUID) } : nil
        do {
            _ = try await api.object("POST", "/api/v1/namespaces/\(namespace)/pods", body: manifest.pod(for: spec, namespace: namespace, owner: owner))
            logger.debug("created pod \(KubernetesPodManifest.podName(spec.jobUID)) in \(namespace)")
        } catch let error as KubernetesAPIError where error.status == 409 {
            // Already there: created by an earlier attempt, or still terminating after a delete (then try later).
            let existing = try await api.object("GET", podPath(namespace, spec.jobUID))
            if (existing["metadata"] as? [String: Any])?["deletionTimestamp"] != nil {
                throw RuntimeError("pod \(KubernetesPodManifest.podName(spec.jobUID)) is still being deleted; retrying")
            }
        } catch let error as KubernetesAPIError {
            throw RuntimeError("creating the pod of job \(spec.jobUID): \(error)")
        }
    }

    public func observe(jobUID: String) async throws -> PodObservation? {
        guard let pod = try await find(jobUID) else { return nil }
        return Self.observation(of: pod)
    }

    /// The container states of a Pod object: waiting (or not yet reported) is created, running is running,
    /// terminated is exited with the kubelet's reason (`OOMKilled`; `DeadlineExceeded` becomes `Timeout`).
    static func observation(of pod: [String: Any]) -> PodObservation {
        let spec = pod["spec"] as? [String: Any] ?? [:]
        let status = pod["status"] as? [String: Any] ?? [:]
        let podReason = status["reason"] as? String
        var containers: [String: ContainerState] = [:]
        for container in spec["containers"] as? [[String: Any]] ?? [] {
            if let name = container["name"] as? String { containers[name] = .created }
        }
        for container in status["containerStatuses"] as? [[String: Any]] ?? [] {
            guard let name = container["name"] as? String, let state = container["state"] as? [String: Any] else { continue }
            if let terminated = state["terminated"] as? [String: Any] {
                let code = Int32(truncatingIfNeeded: terminated["exitCode"] as? Int ?? 137)
                var reason = terminated["reason"] as? String
                if podReason == "DeadlineExceeded" { reason = "Timeout" }
                if reason == "Completed" || reason == "Error" { reason = nil }
                containers[name] = .exited(code: code, reason: reason)
            } else if state["running"] != nil {
                containers[name] = .running
            }
        }
        // A pod ended by its deadline may report containers that never got to run as waiting: they are over too.
        if podReason == "DeadlineExceeded" || status["phase"] as? String == "Failed" {
            for (name, state) in containers where !state.isFinished { containers[name] = .exited(code: 137, reason: podReason == "DeadlineExceeded" ? "Timeout" : "Killed") }
        }
        return PodObservation(containers: containers)
    }

    public func logs(jobUID: String, container: String, maxBytes: Int) async throws -> String {
        guard let pod = try await find(jobUID), let namespace = (pod["metadata"] as? [String: Any])?["namespace"] as? String else { return "" }
        let response = try await api.send(
            "GET", podPath(namespace, jobUID) + "/log", query: [("container", container), ("tailLines", "200")])
        guard (200..<300).contains(response.status) else {
            if response.status == 400 || response.status == 404 { return "" }  // not started yet, or gone
            throw RuntimeError("logs of \(container) in job \(jobUID): the API answered \(response.status)")
        }
        return String(decoding: response.body.suffix(maxBytes), as: UTF8.self)
    }

    /// A pod's containers are fixed once it exists: a scanner is not started again on Kubernetes.
    public var restartsContainers: Bool { false }

    /// Pods are not watched: the controller's poll finds exits.
    public func containerExits() -> AsyncStream<String> { AsyncStream { $0.finish() } }

    /// Refuses: see `restartsContainers`.
    public func restartContainer(_ spec: PodSpec, container: String, restarts: Int) async throws {
        throw RuntimeError("a Kubernetes pod cannot run one of its containers (\(container)) again")
    }

    /// Ends every container by lowering the pod's deadline to one second: the kubelet kills them and their
    /// states stay observable. One container alone cannot be stopped in a Kubernetes pod, so `container` must be
    /// `nil`.
    public func stop(jobUID: String, container: String?) async throws {
        guard container == nil else { throw RuntimeError("a Kubernetes pod cannot stop one container (\(container ?? "")) alone") }
        guard let pod = try await find(jobUID), let namespace = (pod["metadata"] as? [String: Any])?["namespace"] as? String else { return }
        do {
            _ = try await api.object(
                "PATCH", podPath(namespace, jobUID), body: ["spec": ["activeDeadlineSeconds": 1]],
                contentType: "application/merge-patch+json")
        } catch let error as KubernetesAPIError where error.status == 404 {
            return
        }
    }

    public func deletePod(jobUID: String) async throws {
        guard let pod = try await find(jobUID), let namespace = (pod["metadata"] as? [String: Any])?["namespace"] as? String else { return }
        let deleted: [String: Any]
        do {
            deleted = try await api.object(
                "DELETE", podPath(namespace, jobUID), body: ["kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 5])
        } catch let error as KubernetesAPIError where error.status == 404 {
            return
        }
        try await waitUntilGone(jobUID, namespace: namespace, from: (deleted["metadata"] as? [String: Any])?["resourceVersion"] as? String)
    }

    /// Watches the pod from `resourceVersion` until a DELETED event (or a 404), within `deletionWait`; a 410 (the
    /// version was compacted) starts again from a fresh read.
    func waitUntilGone(_ jobUID: String, namespace: String, from resourceVersion: String?) async throws {
        let name = KubernetesPodManifest.podName(jobUID)
        let deadline = ContinuousClock.now + configuration.deletionWait
        var version = resourceVersion
        while ContinuousClock.now < deadline {
            if version == nil {
                do {
                    let current = try await api.object("GET", podPath(namespace, jobUID))
                    version = (current["metadata"] as? [String: Any])?["resourceVersion"] as? String
                } catch let error as KubernetesAPIError where error.status == 404 {
                    return
                }
            }
            let seconds = max(1, Int((deadline - ContinuousClock.now).components.seconds))
            do {
                let events = try await api.watch(
                    "/api/v1/namespaces/\(namespace)/pods",
                    query: [("fieldSelector", "metadata.name=\(name)"), ("resourceVersion", version ?? ""), ("timeoutSeconds", "\(seconds)")])
                for try await event in events {
                    if event.type == "DELETED" { return }
                    if event.type == "ERROR", (event.object["code"] as? Int) == 410 { break }
                    version = (event.object["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? version
                }
                version = nil
            } catch let error as KubernetesAPIError where error.status == 410 {
                version = nil
            }
        }
        logger.info("pod \(name) still terminating after \(configuration.deletionWait); the cluster finishes the deletion")
    }

    public func podJobUIDs(installation: String?) async throws -> [String] {
        let path = configuration.namespace.map { "/api/v1/namespaces/\($0)/pods" } ?? "/api/v1/pods"
        let selector = PodSpec.jobLabel + (installation.map { ",\(PodSpec.installationLabel)=\($0)" } ?? "")
        let list = try await api.object("GET", path, query: [("labelSelector", selector)])
        return (list["items"] as? [[String: Any]] ?? []).compactMap {
            (($0["metadata"] as? [String: Any])?["labels"] as? [String: String])?[PodSpec.jobLabel]
        }
    }

    /// The pod of a job, found by its label (in every namespace when pods follow their jobs).
    func find(_ jobUID: String) async throws -> [String: Any]? {
        let path = configuration.namespace.map { "/api/v1/namespaces/\($0)/pods" } ?? "/api/v1/pods"
        let list = try await api.object("GET", path, query: [("labelSelector", "\(PodSpec.jobLabel)=\(jobUID)")])
        return (list["items"] as? [[String: Any]])?.first
    }
}
