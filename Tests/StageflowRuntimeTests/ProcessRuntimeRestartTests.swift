import Foundation
import StageflowRuntime
import Testing

/// A process container killed from outside is told apart from one its time limit killed, and runs again on
/// `restartContainer` with a fresh state.
@Suite("Process runtime restarts")
struct ProcessRuntimeRestartTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-restart-\(UUID().uuidString)")

    func state(_ runtime: ProcessRuntime, _ job: String, _ container: String, until done: (ContainerState?) -> Bool) async throws
        -> ContainerState?
    {
        for _ in 0..<600 {
            let state = try await runtime.observe(jobUID: job)?.containers[container]
            if done(state) { return state }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await runtime.observe(jobUID: job)?.containers[container]
    }

    @Test("killed from outside under a time limit it is Killed, not Timeout; restarted, it runs again from a clean directory")
    func killedThenRestarted() async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let runtime = ProcessRuntime(root: root)
        let starts = root.appendingPathComponent("starts").path
        let inner = root.appendingPathComponent("inner.pid").path
        // The first run waits to be killed; a later one finishes at once.
        let script = """
            n=$(cat '\(starts)' 2>/dev/null | wc -l); echo start >> '\(starts)'; echo "run $n"
            if [ "$n" -ge 1 ]; then exit 0; fi
            echo $$ > '\(inner).tmp' && mv '\(inner).tmp' '\(inner)'; exec sleep 60
            """
        let spec = PodSpec(
            jobUID: "job-r", displayName: "default-r",
            containers: [ContainerSpec(name: "scanner", command: ["/bin/sh", "-c", script], timeoutSeconds: 120)],
            hostNetwork: false)
        try await runtime.ensurePod(spec)
        var pid: pid_t?
        for _ in 0..<200 where pid == nil {
            pid = (try? String(contentsOfFile: inner, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if pid == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        let scanner = try #require(pid, "the container never started")
        // Running: a restart leaves it alone.
        try await runtime.restartContainer(spec, container: "scanner", restarts: 1)
        kill(scanner, SIGKILL)
        let killed = try await state(runtime, "job-r", "scanner") { $0?.isFinished == true }
        #expect(killed == .exited(code: 137, reason: "Killed"))
        #expect(try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n").count == 1, "started once before the kill")

        #expect(try await runtime.observe(jobUID: "job-r")?.restarts["scanner"] == nil, "the running container was left alone")
        try await runtime.restartContainer(spec, container: "scanner", restarts: 1)
        #expect(try await runtime.observe(jobUID: "job-r")?.restarts == ["scanner": 1], "the new container carries its count")
        let second = try await state(runtime, "job-r", "scanner") { $0?.isFinished == true }
        #expect(second == .exited(code: 0, reason: nil))
        #expect(try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n").count == 2)
        let log = try await runtime.logs(jobUID: "job-r", container: "scanner", maxBytes: 500)
        #expect(log.trimmingCharacters(in: .whitespacesAndNewlines) == "run 1", "the log is the second run's alone: \(log)")
    }

    @Test("a container whose whole session was killed is Killed; restarting one the pod does not have names it")
    func sessionKilled() async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let runtime = ProcessRuntime(root: root)
        let spec = PodSpec(
            jobUID: "job-s", displayName: "default-s",
            containers: [ContainerSpec(name: "sleeper", command: ["/bin/sleep", "60"], timeoutSeconds: 120)], hostNetwork: false)
        try await runtime.ensurePod(spec)
        _ = try await state(runtime, "job-s", "sleeper") { $0 == .running }
        let pidText = try String(contentsOf: root.appendingPathComponent("job-s/sleeper/pid"), encoding: .utf8)
        let leader = try #require(pid_t(pidText.split(separator: " ").first ?? ""))
        kill(-leader, SIGKILL)
        #expect(try await state(runtime, "job-s", "sleeper") { $0?.isFinished == true } == .exited(code: 137, reason: "Killed"))
        let error = await #expect(throws: RuntimeError.self) { try await runtime.restartContainer(spec, container: "ghost", restarts: 1) }
        #expect(error?.description == "the pod of job job-s has no container ghost to restart")
        try await runtime.deletePod(jobUID: "job-s")
    }
}
