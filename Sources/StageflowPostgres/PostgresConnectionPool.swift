import Foundation
import StageflowStore
import Logging

/// A fixed set of libpq connections, each on its own serial queue, handed to one caller at a time.
///
/// This is the driver the PostgreSQL backend runs on; it is public so that benchmarks and test harnesses measure
/// and use exactly the same connection code.
public final class PostgresConnectionPool: @unchecked Sendable {
    private let lock = NSLock()
    private let connections: [PostgresConnection]
    private var idle: [PostgresConnection]
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<PostgresConnection, any Error>)] = []
    private var nextWaiter: UInt64 = 0
    private var closed = false
    private var lastRelease = ContinuousClock.now
    /// How long a caller waits for a free connection while none is given back: a line that moves is waited in,
    /// a pool whose every connection is stuck (a database that stopped answering) fails with
    /// `StorageUnavailable` after this long.
    let acquireTimeout: Duration

    /// A pool of `size` connections to `url` (`postgres://user:pass@host:port/db?host=/socket/dir`). Connections
    /// open on first use; the URL is only checked here. A statement gets `statementTimeout` to answer; a caller
    /// waits `acquireTimeout` for a connection while none is given back.
    public convenience init(
        url: String, size: Int = 4, logger: Logger? = nil, statementTimeout: Duration = .seconds(8),
        acquireTimeout: Duration = .seconds(3)
    ) throws {
        let parameters = try PostgresConnectionParameters(
            url: url, connectTimeoutSeconds: 10, applicationName: "stageflow", statementTimeout: statementTimeout)
        self.init(
            parameters: parameters, size: size, logger: logger ?? Logger(label: "stageflow.postgres"), acquireTimeout: acquireTimeout)
    }

    init(parameters: PostgresConnectionParameters, size: Int, logger: Logger, acquireTimeout: Duration = .seconds(3)) {
        connections = (0..<max(size, 1)).map { index in
            PostgresConnection(parameters: parameters, label: "pool\(index)", logger: logger)
        }
        idle = connections
        self.acquireTimeout = acquireTimeout
    }

    /// Runs SQL on one connection, ignoring any rows it returns. With `parameters` the statement is
    /// prepared once per connection and parameters go in binary form; without, it goes through the simple protocol
    /// (so it may hold several statements, or ones like `CREATE DATABASE`). Throws `StorageUnavailable` with
    /// PostgreSQL's message.
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) async throws {
        try await withConnection { connection in
            if parameters.isEmpty {
                try connection.execute(sql, retryable: false, what: "statement \(sql.prefix(60))")
            } else {
                try connection.query(sql, parameters, retryable: false, what: "statement \(sql.prefix(60))")
            }
        }
    }

    /// Runs `body` on the queue of an idle connection, waiting for one when all are busy.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let connection = try await acquire()
        defer { release(connection) }
        return try await connection.run(body)
    }

    /// Closes every connection; waiting and later callers fail.
    public func close() async {
        let pending = lock.withLock {
            closed = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in pending { waiter.continuation.resume(throwing: StorageUnavailable("the PostgreSQL connection pool was closed")) }
        for connection in connections { await connection.close() }
    }

    /// An idle connection, waiting at most `acquireTimeout` for one: when every connection is stuck on a database
    /// that does not answer, callers fail fast instead of queueing behind them.
    private func acquire() async throws -> PostgresConnection {
        let timeout = acquireTimeout
        var waiterID: UInt64?
        let connection: PostgresConnection = try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<PostgresConnection, any Error>? = lock.withLock {
                if closed { return .failure(StorageUnavailable("the PostgreSQL connection pool is closed")) }
                if let connection = idle.popLast() { return .success(connection) }
                nextWaiter += 1
                waiterID = nextWaiter
                waiters.append((nextWaiter, continuation))
                return nil
            }
            if let outcome {
                continuation.resume(with: outcome)
            } else if let id = waiterID {
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.expire(id, after: timeout)
                }
            }
        }
        return connection
    }

    private func expire(_ id: UInt64, after timeout: Duration) {
        enum Next { case gone, wait(Duration), fail(CheckedContinuation<PostgresConnection, any Error>) }
        let next: Next = lock.withLock {
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return .gone }
            let sinceRelease = lastRelease.duration(to: .now)
            if sinceRelease < timeout { return .wait(timeout - sinceRelease) }
            return .fail(waiters.remove(at: index).continuation)
        }
        switch next {
        case .gone:
            return
        case .wait(let remaining):
            Task { [weak self] in
                try? await Task.sleep(for: remaining)
                self?.expire(id, after: timeout)
            }
        case .fail(let waiter):
            waiter.resume(throwing: StorageUnavailable("no PostgreSQL connection became free within \(timeout)"))
        }
    }

    private func release(_ connection: PostgresConnection) {
        let waiter: CheckedContinuation<PostgresConnection, any Error>? = lock.withLock {
            lastRelease = .now
            if waiters.isEmpty {
                idle.append(connection)
                return nil
            }
            return waiters.removeFirst().continuation
        }
        waiter?.resume(returning: connection)
    }
}
