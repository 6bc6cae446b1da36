import CLibPQ
import Foundation
import Logging
import StageflowStore

/// Listens for the NOTIFY sent with every write, on a dedicated connection and thread, and turns each batch of
/// notifications into one wake-up of the broadcaster. Reconnects with backoff when the server goes away and wakes
/// readers after reconnecting, since notifications sent meanwhile are lost (readers also poll, so no event is).
final class PostgresNotificationListener: @unchecked Sendable {
    private let parameters: PostgresConnectionParameters
    private let channel: String
    private let signals: SignalBroadcaster
    private let logger: Logger
    private let lock = NSLock()
    private var started = false
    private var stopping = false
    private var onExit: [@Sendable () -> Void] = []
    private var exited = false

    /// How long one `poll` waits before checking for shutdown.
    private static let pollTimeoutMilliseconds: Int32 = 250
    /// Longest wait between reconnection attempts.
    private static let maximumBackoff: Duration = .seconds(5)

    init(parameters: PostgresConnectionParameters, channel: String, signals: SignalBroadcaster, logger: Logger) {
        self.parameters = parameters
        self.channel = channel
        self.signals = signals
        self.logger = logger
    }

    /// Starts the thread; later calls do nothing.
    func start() {
        let shouldStart = lock.withLock {
            defer { started = true }
            return !started && !stopping
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in
            run()
            let callbacks = lock.withLock {
                exited = true
                defer { onExit = [] }
                return onExit
            }
            callbacks.forEach { $0() }
        }
        thread.name = "stageflow.postgres.listen"
        thread.start()
    }

    /// Stops the thread and returns once it has closed its connection.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = lock.withLock {
                stopping = true
                if !started || exited { return true }
                onExit.append { continuation.resume() }
                return false
            }
            if finished { continuation.resume() }
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func run() {
        var backoff: Duration = .milliseconds(100)
        var connectedOnce = false
        var failures = 0
        while !isStopping {
            let handle: OpaquePointer
            do {
                handle = try parameters.connect(purpose: "LISTEN \(channel)")
                let result = PQexec(handle, "LISTEN \(channel)")
                defer { PQclear(result) }
                guard PQresultStatus(result) == PGRES_COMMAND_OK else {
                    let message = String(cString: PQerrorMessage(handle)).trimmed
                    PQfinish(handle)
                    throw StorageUnavailable("LISTEN \(channel) failed: \(message)")
                }
            } catch {
                failures += 1
                // The first failure is worth a warning; the retries that follow only repeat it.
                logger.log(
                    level: failures == 1 ? .warning : .debug, "PostgreSQL notifications unavailable, retrying",
                    metadata: ["error": "\(error)", "retryIn": "\(backoff)"])
                sleep(for: backoff)
                backoff = min(backoff * 2, Self.maximumBackoff)
                continue
            }
            if connectedOnce { logger.info("PostgreSQL notifications restored") }
            connectedOnce = true
            failures = 0
            backoff = .milliseconds(100)
            // Anything written while no one listened is only found by reading the log.
            signals.signal()
            listen(on: handle)
            PQfinish(handle)
        }
    }

    /// Waits for notifications until the connection breaks or the listener stops.
    private func listen(on handle: OpaquePointer) {
        while !isStopping {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Self.pollTimeoutMilliseconds)
            if ready < 0 && errno != EINTR {
                logger.warning("polling the PostgreSQL notification socket failed", metadata: ["errno": "\(errno)"])
                return
            }
            guard ready > 0 else { continue }
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
                logger.warning(
                    "PostgreSQL notification connection lost, reconnecting",
                    metadata: ["error": "\(String(cString: PQerrorMessage(handle)).trimmed)"])
                return
            }
            var received = false
            while let notification = PQnotifies(handle) {
                received = true
                PQfreemem(notification)
            }
            if received { signals.signal() }
        }
    }

    private func sleep(for duration: Duration) {
        let deadline = ContinuousClock.now.advanced(by: duration)
        while !isStopping, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
