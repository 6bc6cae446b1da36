import Foundation
import StageflowHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The project's dev server, run as a child in a process group of its own, so that stopping it reaches every
/// process it started (a shell, npm, the server under it) and a Ctrl-C at the terminal reaches only
/// `stageflowctl`, which then stops the group itself.
///
/// `stop` is idempotent and safe to call from any thread, including a signal handler's queue; it blocks
/// (signal, wait up to `dev.stop.timeout`, SIGKILL, wait), so async callers use `stopInBackground`.
public final class DevServer: @unchecked Sendable {
    /// The process id of the group leader (also the process group id).
    public let pid: pid_t
    /// Where its standard output and error go.
    public let logPath: String
    private let config: DevServerConfig
    private let lock = NSLock()
    private var exitStatus: Int32?
    private var stopped = false

    private init(pid: pid_t, logPath: String, config: DevServerConfig) {
        self.pid = pid
        self.logPath = logPath
        self.config = config
    }

    /// Signals the child resets to their default action (the parent ignores some while it runs).
    private static let resetSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2]

    /// Starts the command in `config.directory` with `config.environment` added, its output appended to `logPath`.
    public static func start(_ config: DevServerConfig, logPath: String) throws -> DevServer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: config.directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("dev.start.cwd: the directory \(config.directory) does not exist", exitCode: 2)
        }
        // The shell changes directory, so the command line is run from there, as it would be typed.
        let script: String
        var arguments: [String]
        switch config.command {
        case .shell(let line):
            script = "cd -- \"$1\" || exit 127\neval \"$2\""
            arguments = ["/bin/sh", "-c", script, "stageflow-dev", config.directory, line]
        case .arguments(let list):
            script = "cd -- \"$1\" || exit 127\nshift\nexec \"$@\""
            arguments = ["/bin/sh", "-c", script, "stageflow-dev", config.directory] + list
        }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in config.environment { environment[key] = value }

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in resetSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &fileActions, &attributes, argv, envp)
        guard result == 0 else {
            throw CLIError("cannot start the dev server (\(config.command.display)): \(String(cString: strerror(result)))", exitCode: 2)
        }
        return DevServer(pid: pid, logPath: logPath, config: config)
    }

    /// The exit status once the group leader has exited (reaping it), `nil` while it runs.
    public func exitCode() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        return reap()
    }

    /// Must hold `lock`.
    private func reap() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (the C macros are not imported).
            let signal = status & 0x7f
            exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        } else if result < 0 && errno == ECHILD {
            exitStatus = -1
        }
        return exitStatus
    }

    /// Whether any process of the group is left (zombies of the leader aside, which `reap` collects).
    private func groupAlive() -> Bool {
        _ = reap()
        return kill(-pid, 0) == 0 || errno == EPERM
    }

    /// Sends `dev.stop.signal` to the process group, waits up to `dev.stop.timeout` for every process of it to
    /// exit, then sends SIGKILL and waits for them. Returns whether SIGKILL was needed. Later calls return at once.
    @discardableResult
    public func stop() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return false }
        stopped = true
        guard groupAlive() else { return false }
        kill(-pid, config.stopSignal.number)
        if Self.poll(until: config.stopTimeout, { !groupAlive() }) { return false }
        kill(-pid, SIGKILL)
        _ = Self.poll(until: .seconds(10), { !groupAlive() })
        return true
    }

    /// `stop()` on a thread of its own, so that waiting does not hold a thread of Swift's cooperative pool.
    public func stopInBackground() async -> Bool {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.stop()) }
        }
    }

    private static func poll(until limit: Duration, _ done: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if done() { return true }
            usleep(20_000)
        }
        return done()
    }

    /// Polls `dev.ready.url` every `dev.ready.interval` until it answers 2xx or 3xx; fails when the dev server
    /// exits first or `dev.ready.timeout` passes.
    public func waitUntilReady() async throws {
        guard let url = URL(string: config.readyURL) else {
            throw CLIError("dev.ready.url: \"\(config.readyURL)\" is not a URL", exitCode: 2)
        }
        let client = HTTPClient(configuration: .init(userAgent: "stageflowctl", useEnvironmentProxy: false))
        let deadline = ContinuousClock.now + config.readyTimeout
        var lastProblem = "no answer yet"
        while true {
            if let code = exitCode() {
                throw CLIError(
                    "the dev server (\(config.command.display)) exited with code \(code) before \(config.readyURL) was ready; "
                        + "its output is in \(logPath)\(logTail())", exitCode: 2)
            }
            var request = HTTPRequest(method: "GET", url: url)
            request.timeout = min(.seconds(5), max(config.readyInterval, .seconds(1)))
            do {
                let response = try await client.send(request)
                if (200..<400).contains(response.status) { return }
                lastProblem = "it answered HTTP \(response.status)"
            } catch let error as HTTPError {
                lastProblem = error.message
            }
            if ContinuousClock.now >= deadline {
                throw CLIError(
                    "the dev server was not ready within \(ScanSession.format(config.readyTimeout)) (dev.ready.timeout): "
                        + "\(config.readyURL): \(lastProblem); its output is in \(logPath)", exitCode: 2)
            }
            try await Task.sleep(for: config.readyInterval)
        }
    }

    /// The last lines of the log, indented, for error messages.
    private func logTail() -> String {
        guard let data = FileManager.default.contents(atPath: logPath), !data.isEmpty else { return "" }
        let lines = String(decoding: data.suffix(1000), as: UTF8.self).split(separator: "\n").suffix(5)
        return ":\n" + lines.map { "  | \($0)" }.joined(separator: "\n")
    }
}
