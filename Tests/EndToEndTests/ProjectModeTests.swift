import Foundation
import StageflowTestSupport
import Testing

/// `stageflowctl project`: a real dev server (Python's http.server over a copy of the fixture site) started from
/// `.stageflow/config.yaml`, scanned, and always stopped.
@Suite("stageflowctl project end to end", .serialized)
struct ProjectModeTests {
    /// A project folder: `site/` (the fixture) and `.stageflow/config.yaml` whose dev server serves it on a free
    /// port. The folder's path is in the dev server's command line, which is how the tests find its processes.
    struct Project {
        let root: URL
        let port: Int

        init(scanners: [String] = ["security-headers", "link-checker"], command: String? = nil) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-project-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent(".stageflow"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: FixtureSite.endToEndFixture("site")), to: root.appendingPathComponent("site"))
            port = try Self.freePort()
            let start = command.map { $0.replacingOccurrences(of: "{root}", with: root.path) } ?? "exec python3 -u -m http.server --bind 127.0.0.1 --directory \(root.path)/site \(port)"
            let config = """
                scan:
                  urls:
                    - http://127.0.0.1:\(port)/
                    - http://127.0.0.1:\(port)/about/
                  scanners: [\(scanners.joined(separator: ", "))]
                dev:
                  start:
                    cmd: \(start)
                    cwd: .
                    env: {PYTHONUNBUFFERED: "1"}
                  ready:
                    url: http://127.0.0.1:\(port)/
                    timeout: 60s
                    interval: 200ms
                  stop:
                    signal: SIGTERM
                    timeout: 5s
                """
            try config.write(to: configURL, atomically: true, encoding: .utf8)
        }

        var configURL: URL { root.appendingPathComponent(".stageflow/config.yaml") }

        /// Processes of the dev server still running.
        var devServerProcesses: [pid_t] { processes(mentioning: root.path + "/site") }

        func remove() { try? FileManager.default.removeItem(at: root) }

        /// A port nothing listens on right now.
        static func freePort() throws -> Int {
            let result = try run("/usr/bin/python3", ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            guard let port = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw E2EError("no free port: \(result)") }
            return port
        }
    }

    static func ctl(_ server: StageflowUp, _ project: Project, _ arguments: [String]) throws -> CommandResult {
        try run(
            Binaries.stageflowctl, ["--server", server.url] + arguments + ["--config", project.configURL.path],
            environment: ["HOME": server.dataDirectory.path].merging(server.clientEnvironment) { $1 })
    }

    @Test("init writes a starter config and refuses to overwrite; doctor checks each part")
    func initAndDoctor() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let project = try Project()
        defer { project.remove() }
        let fresh = project.root.appendingPathComponent("other/.stageflow/config.yaml")
        let written = try run(Binaries.stageflowctl, ["project", "init", "--config", fresh.path])
        #expect(written.status == 0, "\(written)")
        #expect(try String(contentsOf: fresh, encoding: .utf8).contains("dev:"))
        let again = try run(Binaries.stageflowctl, ["project", "init", "--config", fresh.path])
        #expect(again.status == 2, "\(again)")
        #expect(again.stderr.contains("already exists"), "\(again)")

        let doctor = try Self.ctl(server, project, ["project", "doctor"])
        #expect(doctor.status == 0, "\(doctor)")
        #expect(doctor.stdout.contains("✓ config"), "\(doctor)")
        #expect(doctor.stdout.contains("✓ dev command python3 found"), "\(doctor)")
        #expect(doctor.stdout.contains("✓ server"), "\(doctor)")
        #expect(doctor.stdout.contains("✓ scanner link-checker is registered"), "\(doctor)")

        let broken = try Project(scanners: ["link-checker", "no-such-scanner"], command: "no-such-dev-command --serve")
        defer { broken.remove() }
        let failing = try Self.ctl(server, broken, ["project", "doctor"])
        #expect(failing.status == 2, "\(failing)")
        #expect(failing.stdout.contains("✗ dev.start.cmd: no-such-dev-command is not an executable on PATH"), "\(failing)")
        #expect(failing.stdout.contains("✗ scanner no-such-scanner is not registered"), "\(failing)")
        let down = try run(Binaries.stageflowctl, ["--server", "http://127.0.0.1:1", "project", "doctor", "--config", project.configURL.path])
        #expect(down.status == 2, "\(down)")
        #expect(down.stdout.contains("✗ server: cannot reach"), "\(down)")
    }

    @Test("run starts the dev server, scans it, stops it; the gate decides the exit code; the server is gone either way")
    func runAndGate() throws {
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"])
        defer { _ = server.stop() }
        let project = try Project()
        defer { project.remove() }

        let passed = try Self.ctl(server, project, ["project"])
        #expect(passed.status == 0, "\(passed)")
        #expect(passed.stdout.contains("dev server ready at http://127.0.0.1:\(project.port)/"), "\(passed)")
        #expect(passed.stdout.contains(" Done"), "\(passed)")
        #expect(project.devServerProcesses.isEmpty, "dev server left running: \(project.devServerProcesses)")
        let log = try String(contentsOf: project.root.appendingPathComponent(".stageflow/dev-server.log"), encoding: .utf8)
        #expect(log.contains("GET /about/"), "the scan did not reach the dev server: \(log)")

        let gated = try Self.ctl(server, project, ["project", "run", "--fail-on", "info"])
        #expect(gated.status == 1, "\(gated)")
        #expect(gated.stderr.contains("gate failed: "), "\(gated)")
        #expect(project.devServerProcesses.isEmpty, "dev server left running after a gate failure: \(project.devServerProcesses)")

        let unknown = try Project(scanners: ["no-such-scanner"])
        defer { unknown.remove() }
        let refused = try Self.ctl(server, unknown, ["project"])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("unknown scanner \"no-such-scanner\""), "\(refused)")
        #expect(unknown.devServerProcesses.isEmpty)

        // A dev server that never gets ready: stopped, exit 2.
        let stuck = try Project(command: "exec python3 -c 'import time; time.sleep(600)' {root}/site")
        defer { stuck.remove() }
        var config = try String(contentsOf: stuck.configURL, encoding: .utf8)
        config = config.replacingOccurrences(of: "timeout: 60s", with: "timeout: 2s")
        try config.write(to: stuck.configURL, atomically: true, encoding: .utf8)
        let notReady = try Self.ctl(server, stuck, ["project"])
        #expect(notReady.status == 2, "\(notReady)")
        #expect(notReady.stderr.contains("dev.ready.timeout"), "\(notReady)")
        #expect(stuck.devServerProcesses.isEmpty, "dev server left running: \(stuck.devServerProcesses)")
    }

    @Test("SIGINT to stageflowctl mid-scan stops the dev server and exits 2")
    func interrupted() throws {
        // Without controllers the job never leaves Pending, so the scan is surely under way when SIGINT comes.
        let server = try StageflowUp(extraArguments: ["--allow-private-targets", "--no-run-controllers"])
        defer { _ = server.stop() }
        // The controller registers the built-in Scanners; without it, register them by hand.
        let manifests = URL(fileURLWithPath: FixtureSite.endToEndFixture("site")).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("manifests/scanners").path
        // The built-ins only: the exec plugin's command line is refused through the API, as it must be.
        let builtins = ["security-headers", "link-checker"].flatMap { ["-f", "\(manifests)/\($0).yaml"] }
        let registered = try run(
            Binaries.stageflowctl, ["--server", server.url, "apply"] + builtins,
            environment: ["HOME": server.dataDirectory.path].merging(server.clientEnvironment) { $1 })
        #expect(registered.status == 0, "\(registered)")
        let project = try Project()
        defer { project.remove() }
        let ctl = try BackgroundProcess(
            Binaries.stageflowctl, ["--server", server.url, "project", "--config", project.configURL.path],
            environment: ["HOME": server.dataDirectory.path].merging(server.clientEnvironment) { $1 })
        #expect(ctl.output.wait(for: "created", seconds: 120), "\(ctl.output.text)\n\(ctl.errors.text)")
        #expect(!project.devServerProcesses.isEmpty, "the dev server is not running mid-scan")
        kill(ctl.process.processIdentifier, SIGINT)
        ctl.process.waitUntilExit()
        #expect(ctl.process.terminationStatus == 2, "\(ctl.output.text)\n\(ctl.errors.text)")
        #expect(ctl.errors.text.contains("SIGINT received, stopping the dev server"), "\(ctl.errors.text)")
        #expect(project.devServerProcesses.isEmpty, "dev server left running after SIGINT: \(project.devServerProcesses)")
    }
}
