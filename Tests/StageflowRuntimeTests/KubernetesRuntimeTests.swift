import Foundation
import StageflowRuntime
import Testing

/// The Kubernetes runtime against Kubernetes API answers replayed on loopback (`Fixtures/kubernetes/`): create,
/// conflict and invalid answers, observation of container states, logs, stop, delete with a watch (and its 410),
/// garbage collection, and the requests it sends.
@Suite("Kubernetes runtime against replayed API answers", .serialized)
struct KubernetesRuntimeTests {
    static let job = "4f9c2d1e-7a3b-4c5d-9e8f-0a1b2c3d4e5f"
    static let podPath = "/api/v1/namespaces/scans/pods"

    static let spec = PodSpec(
        jobUID: job, displayName: "team-a-homepage",
        containers: [
            ContainerSpec(
                name: "shared-browser", command: ["/usr/local/bin/stageflow", "scanner", "run", "--scanner", "axe"],
                environment: ["STAGEFLOW_LOG_LEVEL": "info"], memoryLimitBytes: 2 * 1024 * 1024 * 1024, timeoutSeconds: 1800),
            ContainerSpec(name: "security-headers", command: ["/usr/local/bin/stageflow", "scanner", "run"], timeoutSeconds: 600),
        ],
        hostNetwork: true, labels: ["stageflow.dev/namespace": "team-a", "stageflow.dev/name": "homepage"])

    func withRuntime<T>(
        _ scenario: String, namespace: String? = "scans", credentials: KubernetesConnection.Credentials = .token("replay-token"),
        _ body: (KubernetesRuntime, KubernetesReplayServer) async throws -> T
    ) async throws -> T {
        let server = try KubernetesReplayServer(scenario: scenario)
        defer { server.stop() }
        let api = KubernetesAPI(connection: KubernetesConnection(server: server.url, credentials: credentials, namespace: "scans"))
        let runtime = KubernetesRuntime(
            api: api,
            configuration: .init(
                namespace: namespace, pod: .init(image: "localhost/stageflow:0.1.0", environmentSecret: "stageflow-object-store"),
                deletionWait: .seconds(20)))
        return try await body(runtime, server)
    }

    @Test("create: one POST of a restricted Pod with the job's labels, deadline, limits and bearer token")
    func create() async throws {
        try await withRuntime("create") { runtime, server in
            try await runtime.ensurePod(Self.spec)
            let requests = server.requests
            #expect(requests.count == 1)
            let post = try #require(requests.first)
            #expect(post.method == "POST" && post.path == Self.podPath)
            #expect(post.headers["authorization"] == "Bearer replay-token")
            #expect(post.headers["content-type"] == "application/json")
            let pod = try #require(post.body)
            let metadata = pod["metadata"] as? [String: Any] ?? [:]
            #expect(metadata["name"] as? String == "stageflow-\(Self.job)")
            #expect((metadata["labels"] as? [String: String])?["stageflow.dev/job"] == Self.job)
            #expect(metadata["ownerReferences"] == nil, "a pod in another namespace than its job has no owner reference")
            let spec = pod["spec"] as? [String: Any] ?? [:]
            #expect(spec["restartPolicy"] as? String == "Never")
            #expect(spec["automountServiceAccountToken"] as? Bool == false)
            #expect(spec["hostNetwork"] == nil, "never the node's network")
            #expect(spec["activeDeadlineSeconds"] as? Int == 1800 + 120)
            let podSecurity = spec["securityContext"] as? [String: Any] ?? [:]
            #expect(podSecurity["runAsNonRoot"] as? Bool == true)
            #expect((podSecurity["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault")
            let containers = spec["containers"] as? [[String: Any]] ?? []
            #expect(containers.map { $0["name"] as? String } == ["shared-browser", "security-headers"])
            for container in containers {
                let security = container["securityContext"] as? [String: Any] ?? [:]
                #expect(security["readOnlyRootFilesystem"] as? Bool == true)
                #expect(security["allowPrivilegeEscalation"] as? Bool == false)
                #expect((security["capabilities"] as? [String: Any])?["drop"] as? [String] == ["ALL"])
                #expect((container["envFrom"] as? [[String: Any]])?.first?["secretRef"] as? [String: String] == ["name": "stageflow-object-store"])
                #expect((container["volumeMounts"] as? [[String: Any]])?.first?["mountPath"] as? String == "/tmp")
            }
            let limits = (containers.first?["resources"] as? [String: Any])?["limits"] as? [String: String]
            #expect(limits?["memory"] == "\(2 * 1024 * 1024 * 1024)")
            #expect(containers.first?["command"] as? [String] == ["/usr/local/bin/stageflow", "scanner", "run", "--scanner", "axe"])
        }
    }

    @Test("with pods in their jobs' namespaces, a pod goes to the job's namespace, owned by its ScanJob")
    func ownedByJob() async throws {
        let manifest = KubernetesPodManifest(settings: .init(image: "localhost/stageflow:0.1.0"))
        let pod = manifest.pod(for: Self.spec, namespace: "team-a", owner: .init(name: "homepage", uid: Self.job))
        let metadata = pod["metadata"] as? [String: Any] ?? [:]
        #expect(metadata["namespace"] as? String == "team-a")
        let owner = try #require((metadata["ownerReferences"] as? [[String: Any]])?.first)
        #expect(owner["kind"] as? String == "ScanJob" && owner["apiVersion"] as? String == "stageflow.dev/v1alpha1")
        #expect(owner["name"] as? String == "homepage" && owner["uid"] as? String == Self.job && owner["controller"] as? Bool == true)
    }

    @Test("409 AlreadyExists of a live pod is success; of a pod being deleted, a retryable error")
    func conflict() async throws {
        try await withRuntime("create-exists") { runtime, server in
            try await runtime.ensurePod(Self.spec)
            #expect(server.requests.map(\.method) == ["POST", "GET"])
        }
        try await withRuntime("create-terminating") { runtime, _ in
            let error = await #expect(throws: RuntimeError.self) { try await runtime.ensurePod(Self.spec) }
            #expect(error?.description.contains("still being deleted") == true)
        }
    }

    @Test("422 Invalid names the field the API refused")
    func invalid() async throws {
        try await withRuntime("create-invalid") { runtime, _ in
            let error = await #expect(throws: RuntimeError.self) { try await runtime.ensurePod(Self.spec) }
            #expect(error?.description.contains("422 Invalid") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("spec.containers[0].resources.requests") == true)
        }
    }

    @Test("observe: running, completed, OOM-killed and waiting containers; no pod is nil; a deadline is a timeout")
    func observe() async throws {
        try await withRuntime("observe") { runtime, server in
            let observed = try #require(try await runtime.observe(jobUID: Self.job))
            #expect(observed.containers["shared-browser"] == .running)
            #expect(observed.containers["security-headers"] == .exited(code: 0, reason: nil))
            #expect(observed.containers["link-checker"] == .exited(code: 137, reason: "OOMKilled"))
            #expect(observed.containers["archive"] == .created)
            #expect(server.requests.first?.path.contains("labelSelector=stageflow.dev/job") == true)
        }
        try await withRuntime("observe-none") { runtime, _ in
            let observed = try await runtime.observe(jobUID: Self.job)
            #expect(observed == nil)
        }
        try await withRuntime("deadline") { runtime, _ in
            let observed = try #require(try await runtime.observe(jobUID: Self.job))
            #expect(observed.containers["shared-browser"] == .exited(code: 137, reason: "Timeout"))
            #expect(observed.containers["security-headers"] == .exited(code: 137, reason: "Timeout"))
        }
    }

    @Test("logs come from the pod log endpoint of the container, cut to the last bytes")
    func logs() async throws {
        try await withRuntime("logs") { runtime, server in
            let text = try await runtime.logs(jobUID: Self.job, container: "security-headers", maxBytes: 100)
            #expect(text.hasSuffix("security-headers: 3 findings\n"))
            #expect(text.utf8.count == 100)
            let request = try #require(server.requests.last)
            #expect(request.path.hasPrefix("\(Self.podPath)/stageflow-\(Self.job)/log?"))
            #expect(request.path.contains("container=security-headers"))
        }
    }

    @Test("stop lowers the pod's deadline with a merge patch, so the kubelet ends every container")
    func stop() async throws {
        try await withRuntime("stop") { runtime, server in
            try await runtime.stop(jobUID: Self.job, container: nil)
            let patch = try #require(server.requests.last)
            #expect(patch.method == "PATCH")
            #expect(patch.headers["content-type"] == "application/merge-patch+json")
            #expect((patch.body?["spec"] as? [String: Any])?["activeDeadlineSeconds"] as? Int == 1)
            await #expect(throws: RuntimeError.self) { try await runtime.stop(jobUID: Self.job, container: "axe") }
        }
    }

    @Test("delete waits for the DELETED event; a 410 Expired watch falls back to reading the pod; no pod, nothing to do")
    func delete() async throws {
        try await withRuntime("delete") { runtime, server in
            try await runtime.deletePod(jobUID: Self.job)
            let requests = server.requests
            #expect(requests.map(\.method) == ["GET", "DELETE", "GET"])
            #expect(requests[2].path.contains("watch=true") && requests[2].path.contains("resourceVersion=5101"))
            #expect(requests[1].body?["gracePeriodSeconds"] as? Int == 5)
        }
        try await withRuntime("delete-expired") { runtime, server in
            try await runtime.deletePod(jobUID: Self.job)
            #expect(server.requests.map(\.method) == ["GET", "DELETE", "GET", "GET"])
            #expect(server.requests.last?.path == "\(Self.podPath)/stageflow-\(Self.job)")
        }
        try await withRuntime("delete-gone") { runtime, server in
            try await runtime.deletePod(jobUID: Self.job)
            #expect(server.requests.count == 1)
        }
    }

    @Test("garbage collection lists every Stageflow pod's job uid")
    func collect() async throws {
        try await withRuntime("collect") { runtime, _ in
            let uids = try await runtime.podJobUIDs()
            #expect(Set(uids) == [Self.job, "0d1e2f3a"])
        }
    }

    @Test("a token file is read again before each request, so a rotated ServiceAccount token is used at once")
    func tokenRotation() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try "first-token\n".write(to: file, atomically: true, encoding: .utf8)
        try await withRuntime("rotation", credentials: .tokenFile(file.path)) { runtime, server in
            _ = try await runtime.podJobUIDs()
            try "second-token\n".write(to: file, atomically: true, encoding: .utf8)
            _ = try await runtime.podJobUIDs()
            #expect(server.requests.map { $0.headers["authorization"] } == ["Bearer first-token", "Bearer second-token"])
        }
    }

    @Test("an exec credential plugin's token is sent and kept until its expiry")
    func execPlugin() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plugin = directory.appendingPathComponent("credential")
        let counter = directory.appendingPathComponent("runs")
        try """
            #!/bin/sh
            echo run >> \(counter.path)
            test -n "$KUBERNETES_EXEC_INFO" || exit 1
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$PLUGIN_SUFFIX"
            """.write(to: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin.path)
        try await withRuntime("rotation", credentials: .exec(command: plugin.path, arguments: [], environment: ["PLUGIN_SUFFIX": "abc"])) {
            runtime, server in
            _ = try await runtime.podJobUIDs()
            _ = try await runtime.podJobUIDs()
            #expect(server.requests.map { $0.headers["authorization"] } == ["Bearer exec-abc", "Bearer exec-abc"])
        }
        #expect(try String(contentsOf: counter, encoding: .utf8).split(separator: "\n").count == 1, "the token was cached")
    }
}
