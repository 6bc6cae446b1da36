import Foundation
import StageflowHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `moto_server` (moto's S3 emulation, `pip install 'moto[server]'`) on a free loopback port for this test
/// process: started on first use, stopped by an `atexit` handler, and, through a small shell watchdog, also when
/// the test process dies without running it. The shell, its watcher and the server form a process group of their
/// own, which `stop()` signals as a whole. Its output goes to a log file named in every error.
public final class MotoServer: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: URL
    /// The server's output.
    public let logPath: String
    private let watchdog: pid_t
    private let lock = NSLock()
    private var stopped = false

    /// The server shared by every test of this process.
    public static func shared() async throws -> MotoServer {
        try await sharedServer.value
    }

    private static let sharedServer = Task { try await MotoServer.start() }

    private init(endpoint: URL, logPath: String, watchdog: pid_t) {
        self.endpoint = endpoint
        self.logPath = logPath
        self.watchdog = watchdog
    }

    /// Starts a server and waits until it answers HTTP.
    static func start() async throws -> MotoServer {
        guard let executable = findExecutable("moto_server") else {
            throw MotoServerError(
                "moto_server is not on PATH; the S3 tests need it: install it with `pip install 'moto[server]'`")
        }
        let port = try freePort()
        let logPath = NSTemporaryDirectory() + "stageflow-moto-\(port).log"
        let script = """
            "$0" -H 127.0.0.1 -p \(port) >"$1" 2>&1 &
            server=$!
            parent=$PPID
            (while kill -0 $parent 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; kill $server 2>/dev/null) &
            trap 'kill $server 2>/dev/null; wait $server; exit 0' TERM INT
            wait $server
            """
        let watchdog = try spawn(["/bin/sh", "-c", script, executable, logPath])
        let server = MotoServer(
            endpoint: URL(string: "http://127.0.0.1:\(port)")!, logPath: logPath, watchdog: watchdog)
        MotoServerRegistry.shared.register(server)
        do {
            try await server.waitUntilReady()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Stops the server; later calls do nothing.
    func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        kill(-watchdog, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(watchdog, &status, WNOHANG) != 0 { break }
            usleep(100_000)
        }
        if waitpid(watchdog, &status, WNOHANG) == 0 {
            kill(-watchdog, SIGKILL)
            waitpid(watchdog, &status, 0)
        }
        MotoServerRegistry.shared.unregister(self)
    }

    private func waitUntilReady() async throws {
        let client = HTTPClient(configuration: .init(timeout: .seconds(2), connectTimeout: .seconds(1), useEnvironmentProxy: false))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await client.send(HTTPRequest(url: endpoint.appendingPathComponent("moto-api/")))) != nil { return }
            var status: Int32 = 0
            if waitpid(watchdog, &status, WNOHANG) == watchdog {
                throw MotoServerError("moto_server exited at start; its output:\n\(log())")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw MotoServerError("moto_server did not answer on \(endpoint) within 60 s; its output:\n\(log())")
    }

    private func log() -> String {
        String((try? String(contentsOfFile: logPath, encoding: .utf8))?.suffix(3000) ?? "(no output at \(logPath))")
    }

    private static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A port the kernel just handed out on 127.0.0.1.
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw MotoServerError("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw MotoServerError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `arguments` as the leader of a new process group, with no signal blocked and `SIGTERM`/`SIGINT`
    /// at their defaults (a thread of the test process may block them, and children inherit that).
    private static func spawn(_ arguments: [String]) throws -> pid_t {
        #if canImport(Glibc)
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #else
            var actions: posix_spawn_file_actions_t?
            var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard code == 0 else { throw MotoServerError("cannot run \(arguments[0]): \(String(cString: strerror(code)))") }
        return pid
    }
}

/// Servers still running, stopped at process exit.
final class MotoServerRegistry: @unchecked Sendable {
    static let shared = MotoServerRegistry()

    private let lock = NSLock()
    private var servers: [ObjectIdentifier: MotoServer] = [:]
    private var handlerInstalled = false

    func register(_ server: MotoServer) {
        let install = lock.withLock {
            servers[ObjectIdentifier(server)] = server
            defer { handlerInstalled = true }
            return !handlerInstalled
        }
        if install {
            atexit { MotoServerRegistry.shared.stopAll() }
        }
    }

    func unregister(_ server: MotoServer) {
        lock.withLock { _ = servers.removeValue(forKey: ObjectIdentifier(server)) }
    }

    func stopAll() {
        let running = lock.withLock { Array(servers.values) }
        for server in running { server.stop() }
    }
}

/// The moto server could not be found, started or reached.
struct MotoServerError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
