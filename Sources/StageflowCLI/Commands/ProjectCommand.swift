import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `project [run|init|doctor]`: project mode (`docs/architecture.md`), driven by `.stageflow/config.yaml`.
public struct ProjectCommand: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Project mode: start the dev server, scan it, stop it and gate, as .stageflow/config.yaml says.",
        discussion: """
            `project` alone is `project run`. In project mode --config PATH names the project's config file \
            (default .stageflow/config.yaml); the server and token come from --server and --token, the environment \
            or ~/.stageflow/config.yaml.
            Exit codes: 0 pass, 1 the gate failed, 2 error (bad config, the dev server did not start or get ready, \
            the scan failed, server unreachable, interrupted), 3 scan incomplete (no scanner completed, so there is no \
            score).
            """,
        subcommands: [ProjectRun.self, ProjectInit.self, ProjectDoctor.self],
        defaultSubcommand: ProjectRun.self)

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Parsed by ArgumentParser.
    public init() {}
}

extension ProjectCommand {
    /// The project's config file: `--config`, else `.stageflow/config.yaml`.
    public var configPath: String { root.global.config ?? ProjectConfig.defaultPath }

    /// Where the client connects: flags, the environment and `~/.stageflow/config.yaml`; `--config` names the
    /// project's file here, not the client's.
    public func clientSettings() throws -> ClientSettings {
        var global = root.global
        global.config = nil
        return try global.settings()
    }
}

/// `project run`: the whole cycle.
public struct ProjectRun: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start the dev server, wait until it is ready, scan, stop it (always, also on Ctrl-C), gate.")

    /// The parent, for the shared flags.
    @ParentCommand public var project: ProjectCommand

    /// How long to wait for the scan.
    @Option(name: .long, help: "How long to wait for the scan, e.g. 10m; negative waits without limit.")
    public var timeout = "30m"

    /// The gate.
    @OptionGroup public var gate: GateOptions

    /// Parsed by ArgumentParser.
    public init() {}

    /// Checks the timeout.
    public func validate() throws {
        _ = try CLIError.usage { try Duration(parsing: timeout) }
    }

    /// Runs the cycle.
    public func run() async throws {
        try await CommandOutcome.guarding {
            let settings = try project.clientSettings()
            let projectConfig = try ProjectConfig.load(path: project.configPath)
            let request = ScanRequest(
                urls: projectConfig.urls, scanners: projectConfig.scanners, generateName: "project-",
                namespace: settings.namespace, allowPrivateTargets: projectConfig.allowPrivateTargets,
                baseline: projectConfig.baseline, failOn: try gate.failOnSeverity())
            try request.validate()
            let session = ScanSession(client: settings.makeClient(), style: ProgressDisplay.styleForStandardOutput())
            // Fail on a typo before a slow dev server starts.
            try await session.check(request)
            let limit = try Duration(parsing: timeout)

            let running = RunningDevServer()
            let trap = SignalTrap { signal in
                Console.err("stageflowctl: \(SignalTrap.name(signal)) received" + (running.server == nil ? "" : ", stopping the dev server"))
                running.server?.stop()
                Foundation.exit(CommandOutcome.errorExitCode)
            }
            defer { trap.cancel() }
            var server: DevServer?
            if let dev = projectConfig.dev {
                let logPath = URL(fileURLWithPath: projectConfig.path).deletingLastPathComponent()
                    .appendingPathComponent("dev-server.log").path
                try? FileManager.default.removeItem(atPath: logPath)
                Console.out("starting the dev server: \(dev.command.display) (output in \(logPath))")
                let started = try DevServer.start(dev, logPath: logPath)
                running.server = started
                server = started
            }
            do {
                if let server, let dev = projectConfig.dev {
                    try await server.waitUntilReady()
                    Console.out("dev server ready at \(dev.readyURL)")
                }
                let name = try await session.create(request)
                Console.out("scanjob.stageflow.dev/\(name) created")
                let job = try await session.waitFinished(name: name, namespace: settings.namespace, timeout: limit < .zero ? nil : limit)
                Console.out(ScanSession.summary(of: job, server: settings.server, namespace: settings.namespace).joined(separator: "\n"))
                try await stop(server)
                try await session.conclude(job: job, name: name, namespace: settings.namespace, gate: gate)
            } catch {
                try? await stop(server)
                throw error
            }
        }
    }

    private func stop(_ server: DevServer?) async throws {
        guard let server else { return }
        let killed = await server.stopInBackground()
        if killed { Console.err("warning: the dev server did not stop on its signal in time and was killed (SIGKILL)") }
    }
}

/// The dev server of a run, where the signal handler can find it.
final class RunningDevServer: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: DevServer?

    var server: DevServer? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
        set {
            lock.lock()
            stored = newValue
            lock.unlock()
        }
    }
}

/// `project init`: writes a commented starter config.
public struct ProjectInit: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a commented starter .stageflow/config.yaml (never overwrites one).")

    /// The parent, for `--config`.
    @ParentCommand public var project: ProjectCommand

    /// Parsed by ArgumentParser.
    public init() {}

    /// Writes the file unless it exists.
    public func run() async throws {
        try await CommandOutcome.guarding {
            let path = project.configPath
            if FileManager.default.fileExists(atPath: path) {
                throw CLIError("\(path) already exists; not overwriting it", exitCode: 2)
            }
            let url = URL(fileURLWithPath: path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(StarterConfig.text.utf8).write(to: url, options: .withoutOverwriting)
            } catch {
                throw CLIError("cannot write \(path): \(error.localizedDescription)", exitCode: 2)
            }
            Console.out("wrote \(path): set scan.urls and dev.start.cmd, then run stageflowctl project doctor")
        }
    }
}

/// `project doctor`: checks what a run needs, one line each.
public struct ProjectDoctor: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the config, the dev command, the server and the scanners; exit 2 if any check fails.")

    /// The parent, for the shared flags.
    @ParentCommand public var project: ProjectCommand

    /// Parsed by ArgumentParser.
    public init() {}

    /// Runs every check it can and prints each.
    public func run() async throws {
        try await CommandOutcome.guarding {
            var failures = 0
            var total = 0
            func report(_ passed: Bool, _ text: String) {
                total += 1
                if !passed { failures += 1 }
                Console.out("\(passed ? "✓" : "✗") \(text)")
            }
            var projectConfig: ProjectConfig?
            do {
                projectConfig = try ProjectConfig.load(path: project.configPath)
                report(true, "config \(project.configPath) is valid")
            } catch {
                report(false, "config: " + ((error as? CLIError)?.message ?? "\(error)"))
            }
            if let dev = projectConfig?.dev {
                var isDirectory: ObjCBool = false
                let directoryExists = FileManager.default.fileExists(atPath: dev.directory, isDirectory: &isDirectory) && isDirectory.boolValue
                report(directoryExists, directoryExists ? "dev.start.cwd \(dev.directory) exists" : "dev.start.cwd: \(dev.directory) is not a directory")
                if let program = dev.command.program {
                    if let found = ProgramLookup.find(program, in: dev.directory, environment: dev.environment) {
                        report(true, "dev command \(program) found (\(found))")
                    } else {
                        report(false, "dev.start.cmd: \(program) is not an executable on PATH")
                    }
                }
            }
            let settings: ClientSettings
            do {
                settings = try project.clientSettings()
            } catch {
                report(false, "client settings: " + ((error as? CLIError)?.message ?? "\(error)"))
                throw CLIError("\(failures) of \(total) checks failed", exitCode: 2)
            }
            let session = ScanSession(client: settings.makeClient(), style: .plain)
            do {
                let registered = try await session.registeredScanners()
                report(true, "server \(settings.server.absoluteString) is reachable")
                for scanner in projectConfig?.scanners ?? [] {
                    let known = registered.contains(scanner)
                    report(known, known ? "scanner \(scanner) is registered" : "scanner \(scanner) is not registered (registered: \(registered.joined(separator: ", ")))")
                }
            } catch let error as StageflowClientError {
                report(false, "server: \(error)")
            } catch let status as APIStatus {
                report(false, "server \(settings.server.absoluteString): \(ErrorReport.serverMessage(status))")
            }
            if failures > 0 { throw CLIError("\(failures) of \(total) checks failed", exitCode: 2) }
            Console.out("all \(total) checks passed")
        }
    }
}

/// Finds programs as a shell would: a path with a slash as it is (relative to the working directory), a shell
/// built-in as itself, anything else on `PATH`.
public enum ProgramLookup {
    private static let builtins: Set<String> = ["cd", "exec", "export", ".", "eval", "set", "exit", "true", ":"]

    /// The executable `program` resolves to, or `nil`.
    public static func find(
        _ program: String, in directory: String, environment: [String: String] = [:],
        processEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if builtins.contains(program) { return "shell built-in" }
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : URL(fileURLWithPath: directory).appendingPathComponent(program).path
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let searchPath = environment["PATH"] ?? processEnvironment["PATH"] ?? "/usr/bin:/bin"
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(program).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
