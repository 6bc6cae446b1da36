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
    private var waiters: [CheckedContinuation<PostgresConnection, any Error>] = []
    private var closed = false

    /// A pool of `size` connections to `url` (`postgres://user:pass@host:port/db?host=/socket/dir`). Connections
    /// open on first use; the URL is only checked here.
    public convenience init(url: String, size: Int = 4, logger: Logger? = nil) throws {
        let parameters = try PostgresConnectionParameters(url: url, connectTimeoutSeconds: 10, applicationName: "stageflow")
        self.init(parameters: parameters, size: size, logger: logger ?? Logger(label: "stageflow.postgres"))
    }

    init(parameters: PostgresConnectionParameters, size: Int, logger: Logger) {
        connections = (0..<max(size, 1)).map { index in
            PostgresConnection(parameters: parameters, label: "pool\(index)", logger: logger)
        }
        idle = connections
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
        for waiter in pending { waiter.resume(throwing: StorageUnavailable("the PostgreSQL connection pool was closed")) }
        for connection in connections { await connection.close() }
    }

    private func acquire() async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<PostgresConnection, any Error>? = lock.withLock {
                if closed { return .failure(StorageUnavailable("the PostgreSQL connection pool is closed")) }
                if let connection = idle.popLast() { return .success(connection) }
                waiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func release(_ connection: PostgresConnection) {
        let waiter: CheckedContinuation<PostgresConnection, any Error>? = lock.withLock {
            if waiters.isEmpty {
                idle.append(connection)
                return nil
            }
            return waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }
}
