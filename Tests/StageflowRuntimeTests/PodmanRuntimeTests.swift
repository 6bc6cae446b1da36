import Foundation
import StageflowRuntime
import StageflowTestSupport
import Testing

/// The Podman runtime against a real Podman service, containers running the host's root through a read-only
/// overlay (no image registry needed).
@Suite("Podman runtime", .serialized)
struct PodmanRuntimeTests {
    func runtime() throws -> PodmanRuntime {
        PodmanRuntime(configuration: .init(socketPath: try PodmanService.shared().socketPath, image: .hostRootOverlay))
    }

    func waitFinished(_ runtime: PodmanRuntime, _ job: String, _ container: String) async throws -> ContainerState? {
        for _ in 0..<600 {
            if let state = try await runtime.observe(jobUID: job)?.containers[container], state.isFinished { return state }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await runtime.observe(jobUID: job)?.containers[container]
    }

    @Test("a pod with one container per scanner: exit codes, logs, idempotent creation, deletion")
    func lifecycle() async throws {
        let runtime = try runtime()
        let job = "podman-\(UUID().uuidString.lowercased().prefix(8))"
        let spec = PodSpec(
            jobUID: job, displayName: "default-podman",
            containers: [
                ContainerSpec(name: "ok", command: ["/bin/sh", "-c", "echo all good"]),
                ContainerSpec(name: "fails", command: ["/bin/sh", "-c", "echo something broke >&2; exit 3"]),
            ],
            hostNetwork: true)
        try await runtime.ensurePod(spec)
        try await runtime.ensurePod(spec)
        #expect(try await waitFinished(runtime, job, "ok") == .exited(code: 0, reason: nil))
        #expect(try await waitFinished(runtime, job, "fails") == .exited(code: 3, reason: nil))
        #expect(try await runtime.observe(jobUID: job)?.containers.count == 2)
        #expect(try await runtime.logs(jobUID: job, container: "fails", maxBytes: 500).contains("something broke"))
        #expect(try await runtime.podJobUIDs().contains(job))
        try await runtime.deletePod(jobUID: job)
        #expect(try await runtime.observe(jobUID: job) == nil)
        #expect(try await !runtime.podJobUIDs().contains(job))
    }

    @Test("a container over its memory limit is killed and reported")
    func memoryLimit() async throws {
        let runtime = try runtime()
        let job = "podman-\(UUID().uuidString.lowercased().prefix(8))"
        let spec = PodSpec(
            jobUID: job, displayName: "default-hog",
            containers: [
                ContainerSpec(
                    name: "hog",
                    command: ["/usr/bin/python3", "-c", "import time\nx = bytearray(1024 * 1024 * 1024)\ntime.sleep(1)"],
                    memoryLimitBytes: 64 * 1024 * 1024)
            ],
            hostNetwork: true)
        try await runtime.ensurePod(spec)
        guard case .exited(let code, let reason) = try await waitFinished(runtime, job, "hog") else {
            Issue.record("the container did not finish")
            return
        }
        #expect(code != 0)
        #expect(reason == "MemoryLimitExceeded")
        try await runtime.deletePod(jobUID: job)
    }

    @Test("an unreachable socket is a clear error")
    func unreachable() async throws {
        let runtime = PodmanRuntime(configuration: .init(socketPath: "/nonexistent/podman.sock"))
        let error = await #expect(throws: RuntimeError.self) { _ = try await runtime.observe(jobUID: "x") }
        #expect(error?.description.contains("/nonexistent/podman.sock") == true)
    }
}
