import Foundation
import StageflowPostgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A throwaway PostgreSQL server for this test process: `initdb` into a temporary directory, reachable only on
/// a unix socket there, stopped and removed when the process exits. Never touches a shared server.
///
/// As root (PostgreSQL refuses to run as root) the server runs as the `postgres` user, which owns the directory.
public final class PostgresCluster: @unchecked Sendable {
    /// Holds the data directory, the socket and the logs.
    public let directory: String
    /// Port number; only names the socket file, as nothing listens on TCP.
    public let port: Int
    /// Database superuser, trusted without a password on the socket.
    public let user = "stageflow"
    private let binaries: String
    private let serverUser: String?
    private let maintenance: PostgresConnectionPool
    private let lock = NSLock()
    private var stopped = false
    private let durable: Bool

    /// The cluster shared by every test of this process, started on first use.
    public static func shared() async throws -> PostgresCluster {
        try await sharedCluster.value
    }

    private static let sharedCluster = Task { try await PostgresCluster.start() }

    /// Starts a new cluster of its own (for tests that restart or stop it, and for the benchmark); stop it when
    /// done. `durable: false` (tests) turns off fsync and synchronous commit; the benchmark measures with them on.
    public static func start(durable: Bool = false) async throws -> PostgresCluster {
        let binaries = try findBinaries()
        let serverUser = try serverUserWhenRoot()
        let directory = try makeDirectory(owner: serverUser)
        let cluster = try PostgresCluster(
            directory: directory, port: Int.random(in: 20_000...60_000), binaries: binaries, serverUser: serverUser,
            durable: durable)
        PostgresClusterRegistry.shared.register(cluster)
        do {
            try await cluster.initialize()
            try await cluster.startServer()
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    private init(directory: String, port: Int, binaries: String, serverUser: String?, durable: Bool) throws {
        self.durable = durable
        self.directory = directory
        self.port = port
        self.binaries = binaries
        self.serverUser = serverUser
        maintenance = try PostgresConnectionPool(
            url: "postgres://stageflow@localhost:\(port)/postgres?host=\(directory)", size: 1, statementTimeout: .seconds(120),
            acquireTimeout: .seconds(120))
    }

    /// The libpq URL of `database` on this cluster.
    public func url(database: String) -> String {
        "postgres://\(user)@localhost:\(port)/\(database)?host=\(directory)"
    }

    /// Creates an empty database with a unique name and returns its URL.
    public func makeDatabase() async throws -> String {
        let name = "stageflow_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await maintenance.execute("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Restarts the server (fast shutdown: sessions are cut, as in a real restart) and waits until it accepts
    /// connections again.
    public func restart() async throws {
        try await pgCtl(["restart", "-m", "fast", "-w", "-t", "60", "-D", dataDirectory, "-l", logPath])
    }

    /// Freezes the server (SIGSTOP to the postmaster and every backend): connections are still accepted by the
    /// kernel but nothing answers, as when the database is partitioned away.
    public func pause() { signalServer(SIGSTOP) }

    /// Thaws a paused server.
    public func resume() { signalServer(SIGCONT) }

    private func signalServer(_ signal: Int32) {
        guard let text = try? String(contentsOfFile: "\(dataDirectory)/postmaster.pid", encoding: .utf8),
            let postmaster = pid_t(text.split(separator: "\n").first ?? "")
        else { return }
        var processes = [postmaster]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == postmaster { processes.append(pid) }
        }
        for pid in processes { kill(pid, signal) }
    }

    /// Stops the server at once and removes its directory; later calls do nothing.
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        _ = try? Self.spawn(command(["\(binaries)/pg_ctl", "stop", "-m", "immediate", "-w", "-D", dataDirectory]), output: "/dev/null")
        try? FileManager.default.removeItem(atPath: directory)
        PostgresClusterRegistry.shared.unregister(self)
    }

    private var dataDirectory: String { "\(directory)/data" }
    private var logPath: String { "\(directory)/server.log" }
    private var commandLogPath: String { "\(directory)/commands.log" }

    private func initialize() async throws {
        try await run([
            "\(binaries)/initdb", "-D", dataDirectory, "-U", user, "-A", "trust", "-E", "UTF8", "--no-locale",
            "--no-sync", "--no-instructions",
        ])
    }

    private func startServer() async throws {
        var options = [
            "-c listen_addresses=''", "-c unix_socket_directories='\(directory)'", "-p \(port)", "-c max_connections=400",
        ]
        if !durable { options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] }
        try await pgCtl(["start", "-w", "-t", "60", "-D", dataDirectory, "-l", logPath, "-o", options.joined(separator: " ")])
    }

    private func pgCtl(_ arguments: [String]) async throws {
        try await run(["\(binaries)/pg_ctl"] + arguments)
    }

    /// Runs a PostgreSQL tool (as the server user) on a dispatch queue, as it blocks; fails with its output and
    /// the server log when it exits non-zero.
    private func run(_ arguments: [String]) async throws {
        let full = command(arguments)
        let output = commandLogPath
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.spawn(full, output: output) })
            }
        }
        guard status == 0 else {
            let commandLog = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let serverLog = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw PostgresClusterError(
                "\(arguments.joined(separator: " ")) exited with status \(status):\n\(commandLog.suffix(2000))\n"
                    + "server log \(logPath):\n\(serverLog.suffix(2000))")
        }
    }

    private func command(_ arguments: [String]) -> [String] {
        guard let serverUser else { return arguments }
        return ["runuser", "-u", serverUser, "--"] + arguments
    }

    /// Runs a command to completion with its output appended to `output`; returns the exit status.
    private static func spawn(_ arguments: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard code == 0 else {
            throw PostgresClusterError("cannot run \(arguments[0]): \(String(cString: strerror(code)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw PostgresClusterError("waiting for \(arguments[0]) failed: errno \(errno)") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// The newest `/usr/lib/postgresql/<version>/bin` with `initdb` and `pg_ctl`, else the directory of `pg_ctl`
    /// on `PATH` if `initdb` is beside it.
    private static func findBinaries() throws -> String {
        let manager = FileManager.default
        let versions = ((try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap { Int($0) }
            .sorted(by: >)
        var candidates = versions.map { "/usr/lib/postgresql/\($0)/bin" }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let pgCtl = "\(directory)/pg_ctl"
            if let resolved = try? manager.destinationOfSymbolicLink(atPath: pgCtl) {
                candidates.append((resolved as NSString).deletingLastPathComponent)
            }
            candidates.append(String(directory))
        }
        for candidate in candidates
        where manager.isExecutableFile(atPath: "\(candidate)/initdb") && manager.isExecutableFile(atPath: "\(candidate)/pg_ctl") {
            return candidate
        }
        throw PostgresClusterError(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH; "
                + "install them with `apt-get install postgresql`")
    }

    /// `postgres` when running as root, `nil` otherwise.
    private static func serverUserWhenRoot() throws -> String? {
        guard geteuid() == 0 else { return nil }
        guard getpwnam("postgres") != nil else {
            throw PostgresClusterError(
                "running as root, but there is no `postgres` user to run the PostgreSQL server as; "
                    + "`apt-get install postgresql` creates it")
        }
        return "postgres"
    }

    /// A fresh `/tmp/stageflow-pg-XXXXXX`, owned by `owner` when given.
    private static func makeDirectory(owner: String?) throws -> String {
        var template = Array("/tmp/stageflow-pg-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw PostgresClusterError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: created)
        if let owner, let account = getpwnam(owner) {
            guard chown(directory, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                throw PostgresClusterError("cannot give \(directory) to \(owner): \(String(cString: strerror(errno)))")
            }
        }
        return directory
    }
}

/// Clusters still running, stopped by an `atexit` handler so no server outlives the test process.
private final class PostgresClusterRegistry: @unchecked Sendable {
    static let shared = PostgresClusterRegistry()

    private let lock = NSLock()
    private var clusters: [ObjectIdentifier: PostgresCluster] = [:]
    private var handlerInstalled = false

    func register(_ cluster: PostgresCluster) {
        let install = lock.withLock {
            clusters[ObjectIdentifier(cluster)] = cluster
            defer { handlerInstalled = true }
            return !handlerInstalled
        }
        if install {
            atexit { PostgresClusterRegistry.shared.stopAll() }
        }
    }

    func unregister(_ cluster: PostgresCluster) {
        lock.withLock { _ = clusters.removeValue(forKey: ObjectIdentifier(cluster)) }
    }

    func stopAll() {
        let running = lock.withLock { Array(clusters.values) }
        for cluster in running { cluster.stop() }
    }
}

/// A cluster could not be set up or controlled; the message says which step failed and why.
private struct PostgresClusterError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
