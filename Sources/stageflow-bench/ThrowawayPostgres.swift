import Foundation
import StageflowPostgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A PostgreSQL server the benchmark starts for itself when no `--database-url` is given: `initdb` into a
/// temporary directory, a unix socket there and no TCP, stopped and removed when the benchmark ends. As root the
/// server runs as the `postgres` user (PostgreSQL refuses to run as root).
final class ThrowawayPostgres: @unchecked Sendable {
    /// Holds the data directory, the socket and the logs.
    let directory: String
    /// Names the socket file.
    let port = Int.random(in: 20_000...60_000)
    private let binaries: String
    private let serverUser: String?
    private let lock = NSLock()
    private var stopped = false

    /// Starts a server off the Swift concurrency pool (the tools block), stopped when the process exits or is
    /// interrupted.
    static func startInBackground(durable: Bool) async throws -> ThrowawayPostgres {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try start(durable: durable) })
            }
        }
    }

    /// Starts a server; `durable: false` turns off fsync and synchronous commit.
    static func start(durable: Bool) throws -> ThrowawayPostgres {
        let server = try ThrowawayPostgres()
        ThrowawayPostgresCleanup.shared.register(server)
        do {
            try server.run([
                "\(server.binaries)/initdb", "-D", server.dataDirectory, "-U", "stageflow", "-A", "trust", "-E", "UTF8",
                "--no-locale", "--no-sync", "--no-instructions",
            ])
            var options = [
                "-c listen_addresses=''", "-c unix_socket_directories='\(server.directory)'", "-p \(server.port)",
                "-c max_connections=100", "-c shared_buffers=256MB",
            ]
            if !durable { options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] }
            try server.run([
                "\(server.binaries)/pg_ctl", "start", "-w", "-t", "60", "-D", server.dataDirectory, "-l", server.logPath,
                "-o", options.joined(separator: " "),
            ])
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init() throws {
        binaries = try Self.findBinaries()
        serverUser = geteuid() == 0 ? "postgres" : nil
        if let serverUser, getpwnam(serverUser) == nil {
            throw BenchmarkError("running as root, but there is no `postgres` user to run PostgreSQL as; `apt-get install postgresql` creates it")
        }
        var template = Array("/tmp/stageflow-bench-pg-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BenchmarkError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: created)
        if let serverUser, let account = getpwnam(serverUser) {
            guard chown(directory, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                throw BenchmarkError("cannot give \(directory) to \(serverUser): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The URL of `database`.
    func url(database: String) -> String {
        "postgres://stageflow@localhost:\(port)/\(database)?host=\(directory)"
    }

    /// Creates a database and returns its URL.
    func makeDatabase(named name: String) async throws -> String {
        let maintenance = try PostgresConnectionPool(url: url(database: "postgres"), size: 1)
        do {
            try await maintenance.execute("CREATE DATABASE \(name)")
        } catch {
            await maintenance.close()
            throw error
        }
        await maintenance.close()
        return url(database: name)
    }

    /// Stops the server at once and removes its directory; later calls do nothing.
    func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? run(["\(binaries)/pg_ctl", "stop", "-m", "immediate", "-w", "-D", dataDirectory], output: "/dev/null")
        try? FileManager.default.removeItem(atPath: directory)
        ThrowawayPostgresCleanup.shared.unregister(self)
    }

    private var dataDirectory: String { "\(directory)/data" }
    private var logPath: String { "\(directory)/server.log" }

    /// Runs a PostgreSQL tool as the server user, failing with its output when it exits non-zero.
    private func run(_ arguments: [String], output: String? = nil) throws {
        let outputPath = output ?? "\(directory)/commands.log"
        let full = (serverUser.map { ["runuser", "-u", $0, "--"] } ?? []) + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = full.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, full[0], &actions, nil, argv, environ)
        guard code == 0 else { throw BenchmarkError("cannot run \(full[0]): \(String(cString: strerror(code)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BenchmarkError("waiting for \(arguments[0]) failed: errno \(errno)") }
        }
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let log = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let serverLog = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw BenchmarkError(
                "\(arguments.joined(separator: " ")) failed (wait status \(status)):\n\(log.suffix(2000))\n\(serverLog.suffix(2000))")
        }
    }

    /// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` and `pg_ctl`, else a `PATH` entry that does.
    private static func findBinaries() throws -> String {
        let manager = FileManager.default
        let versions = ((try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap { Int($0) }.sorted(by: >)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let candidates = versions.map { "/usr/lib/postgresql/\($0)/bin" } + path.split(separator: ":").map(String.init)
        for candidate in candidates
        where manager.isExecutableFile(atPath: "\(candidate)/initdb") && manager.isExecutableFile(atPath: "\(candidate)/pg_ctl") {
            return candidate
        }
        throw BenchmarkError(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; install them with `apt-get install postgresql`, "
                + "or pass --database-url")
    }
}
