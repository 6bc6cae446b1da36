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
        let exit = ProcessExit.watch(pid)
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

    /// Starts the command: standard input from /dev/null, standard error to the file.
    private func spawn(_ executable: URL) throws -> pid_t {
        do {
            return try ProcessSpawn.spawn(
                executable: executable.path, arguments: Array(arguments.dropFirst()), environment: environment,
                standardError: stderrFile.path)
        } catch let error as ProcessSpawn.Failure {
            throw ScannerRunError(.scannerFailed, "cannot start plugin \(executable.path): \(error.message)")
        }
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
