import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of an external command with a deadline: standard output passes through to ours (it becomes the
/// container's log), standard error goes to a file so that its tail can be quoted when the command fails. The
/// command runs in the runner's working directory.
struct ChildProcess {
    /// How the command ended.
    struct Outcome: Sendable {
        /// Exit status, or the signal number when `signalled`.
        var status: Int32
        /// Killed by a signal (including ours at the deadline).
        var signalled: Bool
        /// The deadline passed and the command was killed.
        var timedOut: Bool
        /// The last bytes it wrote to standard error.
        var stderrTail: String
    }

    var arguments: [String]
    var environment: [String: String]
    var workingDirectory: URL
    var stderrFile: URL

    /// Runs the command until it exits or `deadline` passes (then SIGTERM, and SIGKILL 5 s later).
    func run(until deadline: ContinuousClock.Instant) async throws -> Outcome {
        let executable = try Self.executable(arguments[0], environment: environment, cwd: workingDirectory)
        let pid = try spawn(executable)
        let exit = ProcessExit()
        let waiter = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            let signalled = status & 0x7f != 0
            exit.finish(signalled ? status & 0x7f : (status >> 8) & 0xff, signalled: signalled)
        }
        waiter.start()
        let timedOut = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                await exit.wait()
                return false
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return true
            }
            defer { group.cancelAll() }
            let first = try await group.next() ?? false
            if first || Task.isCancelled { await Self.stop(pid, exit: exit) }
            return first
        }
        await exit.wait()
        let (status, signalled) = exit.result
        return Outcome(
            status: status, signalled: signalled, timedOut: timedOut, stderrTail: Self.tail(of: stderrFile, bytes: 2000))
    }

    /// Starts the command with `posix_spawn`: standard input from /dev/null, standard error to the file, and
    /// — unlike Foundation's `Process` — an empty signal mask and default signal actions, so that the child
    /// can be stopped with SIGTERM even when the runner's thread blocks signals.
    private func spawn(_ executable: URL) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable.path] + arguments.dropFirst()).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw ScannerRunError(
                .scannerFailed, "cannot start plugin \(executable.path): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// SIGTERM, then SIGKILL when the process is still there after 5 s.
    private static func stop(_ pid: pid_t, exit: ProcessExit) async {
        guard !exit.isFinished else { return }
        kill(pid, SIGTERM)
        for _ in 0..<50 where !exit.isFinished {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if !exit.isFinished { kill(pid, SIGKILL) }
    }

    /// The executable for `name`: a path (relative ones against `cwd`) or the first match on `PATH`.
    static func executable(_ name: String, environment: [String: String], cwd: URL) throws -> URL {
        let manager = FileManager.default
        if name.contains("/") {
            let url = name.hasPrefix("/") ? URL(fileURLWithPath: name) : cwd.appendingPathComponent(name)
            guard manager.isExecutableFile(atPath: url.path) else {
                throw ScannerRunError(.badInput, "plugin command \(name) is not an executable file")
            }
            return url
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if manager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ScannerRunError(.badInput, "plugin command \(name) was not found on PATH (\(path))")
    }

    static func tail(of file: URL, bytes: Int) -> String {
        guard let data = try? Data(contentsOf: file) else { return "" }
        return String(decoding: data.suffix(bytes), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The termination of a process, reported from Foundation's handler thread and awaited by the runner.
private final class ProcessExit: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32 = 0
    private var signalled = false
    private var finished = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    var isFinished: Bool { lock.withLock { finished } }
    var result: (Int32, Bool) { lock.withLock { (status, signalled) } }

    func finish(_ status: Int32, signalled: Bool) {
        let waiting = lock.withLock {
            self.status = status
            self.signalled = signalled
            finished = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                if !finished { waiters.append(continuation) }
                return finished
            }
            if done { continuation.resume() }
        }
    }
}
