import Foundation
import Logging
import StageflowStore

/// The PostgreSQL backend, through libpq: several Stageflow processes can share one database.
///
/// Every write is one round trip to the `stageflow_write` function, which takes the next revision under the
/// counter's row lock (so revisions commit in order), checks the expected revision, updates the object, appends the
/// event and sends a NOTIFY. Writes that queue up while one is in flight are sent together: one round trip and one
/// commit for the batch, each write still its own compare-and-swap. Other processes' writes wake this process through a LISTEN connection; readers also
/// poll, so a lost notification delays an event but never loses it.
///
/// ```swift
/// let backend = try PostgresBackend(url: "postgres://stageflow:secret@db.internal:5432/stageflow")
/// let store = ResourceStore(backend: backend)
/// try await store.start()  // creates the schema when missing
/// ```
///
/// A server restart needs no action: a broken connection is replaced on its next use (a read is retried once; a
/// write whose outcome is unknown fails with `StorageUnavailable`) and the LISTEN connection reconnects with backoff.
public final class PostgresBackend: StorageBackend {
    /// Connection settings of the backend.
    public struct Configuration: Sendable {
        /// `postgres://user:pass@host:port/db`; `?host=/socket/dir` reaches a unix socket.
        public var url: String
        /// Connections used for queries (one more is used for notifications).
        public var poolSize: Int
        /// Seconds to wait for a new connection.
        public var connectTimeoutSeconds: Int
        /// Shown in `pg_stat_activity` unless the URL sets `application_name`.
        public var applicationName: String
        /// Most writes sent in one round trip and one transaction when writes queue up.
        public var maximumWriteBatch: Int
        /// How long one statement may go unanswered before it is cancelled and fails (a write then with an
        /// unknown outcome).
        public var statementTimeout: Duration
        /// How long a caller waits for a pool connection while none is given back.
        public var acquireTimeout: Duration

        /// Defaults: 4 query connections, a 10 second connect timeout, application name `stageflow`, batches of up
        /// to 128 writes, 8 s per statement and 3 s for a connection, so a request fails within 10 s when the
        /// database stops answering.
        public init(
            url: String, poolSize: Int = 4, connectTimeoutSeconds: Int = 10, applicationName: String = "stageflow",
            maximumWriteBatch: Int = 128, statementTimeout: Duration = .seconds(8), acquireTimeout: Duration = .seconds(3)
        ) {
            self.statementTimeout = statementTimeout
            self.acquireTimeout = acquireTimeout
            self.url = url
            self.poolSize = poolSize
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.applicationName = applicationName
            self.maximumWriteBatch = maximumWriteBatch
        }
    }

    private let pool: PostgresConnectionPool
    private let batcher: PostgresWriteBatcher
    private let listener: PostgresNotificationListener
    private let signals = SignalBroadcaster()

    /// A backend with the given settings. Connects lazily: nothing is opened until `prepare()` or the first call.
    /// Throws when libpq cannot parse the URL.
    public init(configuration: Configuration, logger: Logger? = nil) throws {
        let logger = logger ?? Logger(label: "stageflow.postgres")
        let parameters = try PostgresConnectionParameters(
            url: configuration.url, connectTimeoutSeconds: configuration.connectTimeoutSeconds,
            applicationName: configuration.applicationName, statementTimeout: configuration.statementTimeout)
        pool = PostgresConnectionPool(
            parameters: parameters, size: configuration.poolSize, logger: logger, acquireTimeout: configuration.acquireTimeout)
        batcher = PostgresWriteBatcher(pool: pool, maximumBatch: configuration.maximumWriteBatch)
        listener = PostgresNotificationListener(
            parameters: parameters, channel: PostgresSchema.channel, signals: signals, logger: logger)
    }

    /// A backend for `url` with default settings.
    public convenience init(url: String) throws {
        try self.init(configuration: Configuration(url: url))
    }

    public func prepare() async throws {
        try await pool.withConnection { connection in
            try connection.execute(PostgresSchema.prepare, retryable: true, what: "creating the Stageflow schema")
        }
    }

    public func currentRevision() async throws -> Int64 {
        try await counter("revision")
    }

    public func compactedRevision() async throws -> Int64 {
        try await counter("compacted")
    }

    public func get(_ key: ObjectKey) async throws -> StoredRecord? {
        try await pool.withConnection { connection in
            var record: StoredRecord?
            try connection.query(PostgresSchema.get, [.text(key.path)], retryable: true, what: "reading \(key)") { row in
                record = StoredRecord(key: key, revision: row.int64(0), value: row.data(1))
            }
            return record
        }
    }

    public func list(resource: String, namespace: String?, after: ObjectKey?, limit: Int?) async throws
        -> (records: [StoredRecord], revision: Int64)
    {
        // Key paths are `resource/namespace/name` and names hold no `/`, so a resource (or namespace) is the
        // range between its prefix and the prefix with the final `/` replaced by the next byte, `0`.
        let prefix = namespace.map { "\(resource)/\($0)/" } ?? "\(resource)/"
        let upper = String(prefix.dropLast()) + "0"
        var lower = prefix
        if let after, prefix.utf8.lexicographicallyPrecedes(after.path.utf8) { lower = after.path }
        let values: [PostgresValue] =
            [.text(lower), .text(upper), .text(resource), .int64(limit.map { Int64($0) })] + (namespace.map { [.text($0)] } ?? [])
        let sql = namespace == nil ? PostgresSchema.listAll : PostgresSchema.listNamespace
        let what = "listing \(prefix)"
        return try await pool.withConnection { connection in
            var records: [StoredRecord] = []
            var revision: Int64 = 0
            try connection.query(sql, values, retryable: true, what: what) { row in
                revision = row.int64(0)
                guard !row.isNull(1), let key = ObjectKey(path: row.text(1)) else { return }
                records.append(StoredRecord(key: key, revision: row.int64(2), value: row.data(3)))
            }
            return (records, revision)
        }
    }

    public func write(_ mutation: Mutation) async throws -> Int64 {
        switch try await batcher.write(mutation) {
        case .written(let revision):
            signals.signal()
            return revision
        case .alreadyExists:
            throw StorageConflict.alreadyExists(mutation.key)
        case .revisionMismatch(let current):
            throw StorageConflict.revisionMismatch(mutation.key, current: current)
        }
    }

    public func events(after revision: Int64, limit: Int) async throws -> [ChangeEvent] {
        try await pool.withConnection { connection in
            var events: [ChangeEvent] = []
            try connection.query(
                PostgresSchema.events, [.int64(revision), .int64(Int64(limit))], retryable: true,
                what: "reading events after revision \(revision)"
            ) { row in
                guard let kind = ChangeKind(rawValue: row.text(1)), let key = ObjectKey(path: row.text(2)) else { return }
                events.append(ChangeEvent(revision: row.int64(0), kind: kind, key: key, value: row.data(3)))
            }
            return events
        }
    }

    public func compact(through revision: Int64) async throws {
        try await pool.withConnection { connection in
            // Compaction is idempotent, so it is retried like a read.
            try connection.query(
                PostgresSchema.compact, [.int64(revision)], retryable: true, what: "compacting through revision \(revision)")
        }
    }

    public func changeSignals() -> AsyncStream<Void> {
        let stream = signals.subscribe()
        listener.start()
        return stream
    }

    public func close() async {
        await listener.stop()
        signals.finish()
        await pool.close()
    }

    private func counter(_ name: String) async throws -> Int64 {
        try await pool.withConnection { connection in
            var value: Int64 = 0
            try connection.query(PostgresSchema.counter, [.text(name)], retryable: true, what: "reading the \(name) revision") {
                row in value = row.int64(0)
            }
            return value
        }
    }
}
