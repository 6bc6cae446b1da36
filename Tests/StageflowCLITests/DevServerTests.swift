import Foundation
import StageflowCLI
import Testing

/// The dev server runs in a process group of its own; stopping it reaches every process in the group.
@Suite("Dev server process group")
struct DevServerTests {
    static func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-dev-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        // A zombie has finished.
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    /// Waits (bounded) for the file to hold a pid.
    static func readPID(_ path: String) async throws -> pid_t? {
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test("stop signals the whole group: the shell and the process it started are gone")
    func stopReachesTheGroup() async throws {
        let directory = try Self.directory()
        let config = DevServerConfig(
            command: .shell("sleep 300 & echo $! > child.pid; wait"), directory: directory, readyURL: "http://127.0.0.1:1/",
            stopTimeout: .seconds(5))
        let server = try DevServer.start(config, logPath: directory + "/dev.log")
        let child = try #require(try await Self.readPID(directory + "/child.pid"))
        #expect(getpgid(child) == server.pid)
        #expect(getpgid(server.pid) == server.pid)
        #expect(await server.stopInBackground() == false)
        #expect(!Self.alive(child))
        #expect(!Self.alive(server.pid))
        #expect(await server.stopInBackground() == false)
    }

    @Test("a dev server that ignores its stop signal is killed after dev.stop.timeout")
    func killAfterTimeout() async throws {
        let directory = try Self.directory()
        let config = DevServerConfig(
            command: .arguments(["/bin/sh", "-c", "trap '' TERM; echo $$ > ready.pid; while :; do sleep 1; done"]), directory: directory,
            readyURL: "http://127.0.0.1:1/", stopTimeout: .milliseconds(300))
        let server = try DevServer.start(config, logPath: directory + "/dev.log")
        _ = try #require(try await Self.readPID(directory + "/ready.pid"))
        #expect(await server.stopInBackground() == true)
        #expect(!Self.alive(server.pid))
    }

    @Test("a dev server that exits before it is ready fails the wait with its exit code and output")
    func exitsBeforeReady() async throws {
        let directory = try Self.directory()
        let config = DevServerConfig(
            command: .shell("echo no such thing >&2; exit 3"), directory: directory, readyURL: "http://127.0.0.1:1/",
            readyTimeout: .seconds(60), readyInterval: .milliseconds(50))
        let server = try DevServer.start(config, logPath: directory + "/dev.log")
        do {
            try await server.waitUntilReady()
            Issue.record("the wait succeeded")
        } catch let error as CLIError {
            #expect(error.message.contains("exited with code 3"), "\(error.message)")
            #expect(error.message.contains("no such thing"), "\(error.message)")
        }
        _ = await server.stopInBackground()
    }
}
