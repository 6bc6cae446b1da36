import Foundation
import StageflowRuntime
import Testing

@Suite("Process runtime")
struct ProcessRuntimeTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-runtime-\(UUID().uuidString)")

    func waitFinished(_ runtime: ProcessRuntime, _ job: String, _ container: String) async throws -> ContainerState? {
        for _ in 0..<600 {
            if let state = try await runtime.observe(jobUID: job)?.containers[container], state.isFinished { return state }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await runtime.observe(jobUID: job)?.containers[container]
    }

    @Test("exit codes and output are observed from files")
    func exitCode() async throws {
        let runtime = ProcessRuntime(root: root)
        let spec = PodSpec(
            jobUID: "job-1", displayName: "default-a",
            containers: [ContainerSpec(name: "fails", command: ["/bin/sh", "-c", "echo scanning; echo broken >&2; exit 3"])],
            hostNetwork: false)
        try await runtime.ensurePod(spec)
        let state = try await waitFinished(runtime, "job-1", "fails")
        #expect(state == .exited(code: 3, reason: nil))
        let logs = try await runtime.logs(jobUID: "job-1", container: "fails", maxBytes: 500)
        #expect(logs.contains("scanning") && logs.contains("broken"))
        #expect(try await runtime.podJobUIDs() == ["job-1"])
        try await runtime.deletePod(jobUID: "job-1")
        #expect(try await runtime.observe(jobUID: "job-1") == nil)
    }

    @Test("ensurePod is idempotent: a container starts once however often it is called")
    func idempotent() async throws {
        let runtime = ProcessRuntime(root: root)
        let marker = root.appendingPathComponent("starts.txt").path
        let spec = PodSpec(
            jobUID: "job-2", displayName: "default-b",
            containers: [ContainerSpec(name: "once", command: ["/bin/sh", "-c", "echo start >> '\(marker)'"])],
            hostNetwork: false)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for _ in 0..<5 { try await runtime.ensurePod(spec) }
        _ = try await waitFinished(runtime, "job-2", "once")
        let starts = try String(contentsOfFile: marker, encoding: .utf8).split(separator: "\n").count
        #expect(starts == 1)
    }

    @Test("each container's end is told on containerExits with its job uid, after its exit code is recorded")
    func exitsAreTold() async throws {
        let runtime = ProcessRuntime(root: root)
        let exits = runtime.containerExits()
        let spec = PodSpec(
            jobUID: "job-told", displayName: "default-told",
            containers: [
                ContainerSpec(name: "quick", command: ["/bin/true"]),
                ContainerSpec(name: "slower", command: ["/bin/sh", "-c", "sleep 0.2; exit 4"]),
            ],
            hostNetwork: false)
        try await runtime.ensurePod(spec)
        var told: [String] = []
        for await uid in exits {
            told.append(uid)
            let observed = try await runtime.observe(jobUID: uid)
            if told.count == 1 { #expect(observed?.containers.values.contains { $0.isFinished } == true) }
            if told.count == 2 { break }
        }
        #expect(told == ["job-told", "job-told"])
        #expect(try await runtime.observe(jobUID: "job-told")?.containers["slower"] == .exited(code: 4, reason: nil))
    }

    @Test("a container over its time limit is killed and reported as Timeout")
    func timeout() async throws {
        let runtime = ProcessRuntime(root: root)
        let spec = PodSpec(
            jobUID: "job-3", displayName: "default-c",
            containers: [ContainerSpec(name: "hangs", command: ["/bin/sleep", "600"], timeoutSeconds: 1)],
            hostNetwork: false)
        try await runtime.ensurePod(spec)
        let state = try await waitFinished(runtime, "job-3", "hangs")
        #expect(state == .exited(code: 137, reason: "Timeout"))
    }

    @Test("a container over its memory limit fails and says so")
    func memoryLimit() async throws {
        let runtime = ProcessRuntime(root: root)
        let spec = PodSpec(
            jobUID: "job-4", displayName: "default-d",
            containers: [
                ContainerSpec(
                    name: "hog", command: ["/usr/bin/python3", "-c", "x = bytearray(2 * 1024 * 1024 * 1024)"],
                    memoryLimitBytes: 256 * 1024 * 1024)
            ],
            hostNetwork: false)
        try await runtime.ensurePod(spec)
        guard case .exited(let code, let reason) = try await waitFinished(runtime, "job-4", "hog") else {
            Issue.record("the memory hog did not finish")
            return
        }
        #expect(code != 0)
        #expect(reason == "MemoryLimitExceeded")
    }

    @Test("deleting a pod kills its running processes")
    func deleteKills() async throws {
        let runtime = ProcessRuntime(root: root)
        let spec = PodSpec(
            jobUID: "job-5", displayName: "default-e",
            containers: [ContainerSpec(name: "sleeper", command: ["/bin/sleep", "600"])], hostNetwork: false)
        try await runtime.ensurePod(spec)
        let pidFile = root.appendingPathComponent("job-5/sleeper/pid")
        var pid: pid_t = 0
        for _ in 0..<100 where pid == 0 {
            let recorded = (try? String(contentsOf: pidFile, encoding: .utf8)) ?? ""
            pid = pid_t(recorded.split(separator: " ").first ?? "") ?? 0
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await runtime.observe(jobUID: "job-5")?.containers["sleeper"] == .running)
        try await runtime.deletePod(jobUID: "job-5")
        var alive = true
        for _ in 0..<100 where alive {
            // The group leader is our own child until reaped; a zombie counts as gone.
            alive = kill(pid, 0) == 0 && !isZombie(pid)
            if alive { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(!alive)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("job-5").path))
    }

    @Test("deleting a pod also kills what left its process group (a browser and its renderers do)")
    func deleteKillsOwnGroups() async throws {
        let runtime = ProcessRuntime(root: root)
        let childPID = root.appendingPathComponent("child.pid").path
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // A child that moves to a process group of its own, as Chromium is started, and sleeps.
        let script = "import os, time\nos.setpgrp()\nopen('\(childPID)', 'w').write(str(os.getpid()))\ntime.sleep(600)\n"
        let spec = PodSpec(
            jobUID: "job-6", displayName: "default-f",
            containers: [ContainerSpec(name: "browser", command: ["/usr/bin/python3", "-c", script])], hostNetwork: false)
        try await runtime.ensurePod(spec)
        var pid: pid_t = 0
        for _ in 0..<250 where pid == 0 {
            pid = pid_t((try? String(contentsOfFile: childPID, encoding: .utf8)) ?? "") ?? 0
            if pid == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(pid > 0)
        try await runtime.deletePod(jobUID: "job-6")
        var alive = true
        for _ in 0..<100 where alive {
            alive = kill(pid, 0) == 0 && !isZombie(pid)
            if alive { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(!alive, "the process in its own group outlived its pod")
    }

    private func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }
}

@Suite("Process runtime recovery")
struct ProcessRuntimeRecoveryTests {
    @Test("a container whose launch was interrupted before it started is started again, once")
    func interruptedLaunch() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-runtime-\(UUID().uuidString)")
        let container = root.appendingPathComponent("job-9/scan")
        try FileManager.default.createDirectory(at: container, withIntermediateDirectories: true)
        // A controller died after marking the launch and before the process existed.
        try Data().write(to: container.appendingPathComponent("launched"))
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: container.appendingPathComponent("launched").path)
        let runtime = ProcessRuntime(root: root)
        #expect(try await runtime.observe(jobUID: "job-9")?.containers["scan"] == .created)
        let spec = PodSpec(
            jobUID: "job-9", displayName: "x", containers: [ContainerSpec(name: "scan", command: ["/bin/sh", "-c", "exit 7"])],
            hostNetwork: false)
        try await runtime.ensurePod(spec)
        try await runtime.ensurePod(spec)
        var state: ContainerState?
        for _ in 0..<200 {
            state = try await runtime.observe(jobUID: "job-9")?.containers["scan"]
            if state?.isFinished == true { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(state == .exited(code: 7, reason: nil))
    }

    @Test("a recorded pid that now belongs to another process is not taken for the container")
    func reusedPid() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-runtime-\(UUID().uuidString)")
        let container = root.appendingPathComponent("job-10/scan")
        try FileManager.default.createDirectory(at: container, withIntermediateDirectories: true)
        // Our own pid is alive, but with a different start time than the one recorded.
        try "\(getpid()) 1".write(to: container.appendingPathComponent("pid"), atomically: true, encoding: .utf8)
        let runtime = ProcessRuntime(root: root)
        #expect(try await runtime.observe(jobUID: "job-10")?.containers["scan"] == .exited(code: 137, reason: "Killed"))
    }
}
