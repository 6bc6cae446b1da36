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
            hostNetwork: true, labels: [PodSpec.installationLabel: "podman-test"])
        try await runtime.ensurePod(spec)
        try await runtime.ensurePod(spec)
        #expect(try await waitFinished(runtime, job, "ok") == .exited(code: 0, reason: nil))
        #expect(try await waitFinished(runtime, job, "fails") == .exited(code: 3, reason: nil))
        #expect(try await runtime.observe(jobUID: job)?.containers.count == 2)
        #expect(try await runtime.logs(jobUID: job, container: "fails", maxBytes: 500).contains("something broke"))
        #expect(try await runtime.podJobUIDs().contains(job))
        #expect(try await runtime.podJobUIDs(installation: "podman-test").contains(job))
        #expect(try await !runtime.podJobUIDs(installation: "another-installation").contains(job))
        try await runtime.deletePod(jobUID: job)
        #expect(try await runtime.observe(jobUID: job) == nil)
        #expect(try await !runtime.podJobUIDs().contains(job))
    }

    @Test("a container killed from outside is Killed; restarted, it runs again, carrying its restart count")
    func restart() async throws {
        let runtime = try runtime()
        let job = "podman-\(UUID().uuidString.lowercased().prefix(8))"
        let spec = PodSpec(
            jobUID: job, displayName: "default-restart",
            containers: [ContainerSpec(name: "scanner", command: ["/bin/sleep", "60"], timeoutSeconds: 120)], hostNetwork: true)
        try await runtime.ensurePod(spec)
        var running = false
        for _ in 0..<300 where !running {
            running = try await runtime.observe(jobUID: job)?.containers["scanner"] == .running
            if !running { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(running, "the container never ran")
        let killed = try run("/usr/bin/podman", ["--url", "unix://\(try PodmanService.shared().socketPath)", "kill", "--signal", "KILL", "stageflow-\(job)-scanner"])
        #expect(killed.status == 0, "\(killed)")
        #expect(try await waitFinished(runtime, job, "scanner") == .exited(code: 137, reason: "Killed"))
        #expect(try await runtime.observe(jobUID: job)?.restarts.isEmpty == true)

        try await runtime.restartContainer(spec, container: "scanner", restarts: 1)
        let observed = try await runtime.observe(jobUID: job)
        #expect(observed?.containers["scanner"]?.isFinished == false, "\(String(describing: observed))")
        #expect(observed?.restarts == ["scanner": 1])
        // Running: a second restart leaves it alone.
        try await runtime.restartContainer(spec, container: "scanner", restarts: 2)
        #expect(try await runtime.observe(jobUID: job)?.restarts == ["scanner": 1])
        try await runtime.deletePod(jobUID: job)
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

    @Test("containers are confined: no new privileges, no capabilities, read-only root, tmpfs /tmp, pids limit")
    func confinement() async throws {
        let runtime = PodmanRuntime(
            configuration: .init(socketPath: try PodmanService.shared().socketPath, image: .hostRootOverlay, pidsLimit: 64))
        let job = "podman-\(UUID().uuidString.lowercased().prefix(8))"
        let script = """
            grep -E '^(NoNewPrivs|CapEff):' /proc/self/status
            if touch /confinement-probe 2>/dev/null; then echo root=writable; else echo root=read-only; fi
            if touch /tmp/probe 2>/dev/null; then echo tmp=writable; else echo tmp=read-only; fi
            echo tmp-fs=$(stat -f -c %T /tmp)
            echo pids-max=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)
            echo cwd=$(pwd)
            """
        let spec = PodSpec(
            jobUID: job, displayName: "default-confined",
            containers: [ContainerSpec(name: "probe", command: ["/bin/sh", "-c", script], memoryLimitBytes: 256 * 1024 * 1024)],
            hostNetwork: true)
        try await runtime.ensurePod(spec)
        #expect(try await waitFinished(runtime, job, "probe") == .exited(code: 0, reason: nil))
        let output = try await runtime.logs(jobUID: job, container: "probe", maxBytes: 4000)
        let lines = Set(output.split(whereSeparator: \.isNewline).map { $0.replacingOccurrences(of: "\t", with: " ") })
        #expect(lines.contains("NoNewPrivs: 1"), "\(output)")
        #expect(lines.contains("CapEff: 0000000000000000"), "\(output)")
        #expect(lines.contains("root=read-only"), "\(output)")
        #expect(lines.contains("tmp=writable"), "\(output)")
        #expect(lines.contains("tmp-fs=tmpfs"), "\(output)")
        #expect(lines.contains("pids-max=64"), "\(output)")
        #expect(lines.contains("cwd=/tmp"), "\(output)")
        try await runtime.deletePod(jobUID: job)
    }

    @Test("a host directory under /tmp stays visible read-only through the tmpfs /tmp when it is a read-only mount")
    func readOnlyMountUnderScratch() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("from the host\n".utf8).write(to: directory.appendingPathComponent("probe.txt"))
        let runtime = PodmanRuntime(
            configuration: .init(
                socketPath: try PodmanService.shared().socketPath, image: .hostRootOverlay, readOnlyBindMounts: [directory.path]))
        let job = "podman-\(UUID().uuidString.lowercased().prefix(8))"
        let script = "cat \(directory.path)/probe.txt; if touch \(directory.path)/written 2>/dev/null; then echo writable; else echo read-only; fi"
        try await runtime.ensurePod(
            PodSpec(jobUID: job, displayName: "default-mounts", containers: [ContainerSpec(name: "reader", command: ["/bin/sh", "-c", script])], hostNetwork: true))
        #expect(try await waitFinished(runtime, job, "reader") == .exited(code: 0, reason: nil))
        let output = try await runtime.logs(jobUID: job, container: "reader", maxBytes: 500)
        #expect(output.contains("from the host") && output.contains("read-only"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("written").path))
        try await runtime.deletePod(jobUID: job)
    }

    @Test("a container joins another's network: it reaches what that one serves on loopback, without the host network")
    func sharedLoopback() async throws {
        let runtime = try runtime()
        let job = "podman-\(UUID().uuidString.lowercased().prefix(8))"
        let fetch = """
            import time, urllib.request
            for _ in range(100):
                try:
                    print(urllib.request.urlopen("http://127.0.0.1:8765/probe.txt").read().decode()); break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("nothing served on 127.0.0.1:8765")
            """
        let spec = PodSpec(
            jobUID: job, displayName: "default-loopback",
            containers: [
                ContainerSpec(
                    name: "server",
                    command: ["/bin/sh", "-c", "echo served-in-pod > /tmp/probe.txt && exec python3 -m http.server 8765 --bind 127.0.0.1 --directory /tmp"]),
                ContainerSpec(name: "client", command: ["/usr/bin/python3", "-c", fetch], sharesNetworkWith: "server"),
            ],
            hostNetwork: false)
        try await runtime.ensurePod(spec)
        #expect(try await waitFinished(runtime, job, "client") == .exited(code: 0, reason: nil))
        #expect(try await runtime.logs(jobUID: job, container: "client", maxBytes: 500).contains("served-in-pod"))
        try await runtime.deletePod(jobUID: job)
    }

    @Test("an unreachable socket is a clear error")
    func unreachable() async throws {
        let runtime = PodmanRuntime(configuration: .init(socketPath: "/nonexistent/podman.sock"))
        let error = await #expect(throws: RuntimeError.self) { _ = try await runtime.observe(jobUID: "x") }
        #expect(error?.description.contains("/nonexistent/podman.sock") == true)
    }
}
