import CSQLite
import Foundation

/// Single-row inserts into a plain table of the SQLite file, with the SQLite backend's discipline: one writer
/// connection on its own serial queue, WAL, `synchronous=NORMAL`, a prepared statement.
final class SQLiteRawInsertTarget: RawInsertTarget, @unchecked Sendable {
    private let handle: OpaquePointer
    private let queue = DispatchQueue(label: "stageflow.bench.sqlite")
    private var statement: OpaquePointer?

    /// Opens the database at `path`.
    init(path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
            let db
        else {
            throw BenchmarkError("cannot open SQLite database \(path)")
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(handle)
    }

    func prepare() async throws {
        try await run { target in
            try target.execute("PRAGMA journal_mode=WAL")
            try target.execute("PRAGMA synchronous=NORMAL")
            try target.execute("DROP TABLE IF EXISTS stageflow_bench_raw")
            try target.execute("CREATE TABLE stageflow_bench_raw (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            guard sqlite3_prepare_v2(target.handle, "INSERT INTO stageflow_bench_raw (key, value) VALUES (?, ?)", -1, &target.statement, nil)
                == SQLITE_OK
            else {
                throw BenchmarkError("SQLite: preparing the insert failed: \(String(cString: sqlite3_errmsg(target.handle)))")
            }
        }
    }

    func insert(key: String, value: Data) async throws {
        try await run { target in
            guard let statement = target.statement else { throw BenchmarkError("SQLite insert before prepare()") }
            defer { sqlite3_reset(statement) }
            sqlite3_bind_text(statement, 1, key, -1, sqliteTransient)
            _ = value.withUnsafeBytes { sqlite3_bind_blob(statement, 2, $0.baseAddress, Int32($0.count), sqliteTransient) }
            guard sqlite3_step(statement) == SQLITE_DONE else {
                throw BenchmarkError("SQLite: insert of \(key) failed: \(String(cString: sqlite3_errmsg(target.handle)))")
            }
        }
    }

    func close() async {
        try? await run { target in try target.execute("DROP TABLE IF EXISTS stageflow_bench_raw") }
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchmarkError("SQLite: \(sql) failed: \(String(cString: sqlite3_errmsg(handle)))")
        }
    }

    private func run(_ body: @escaping @Sendable (SQLiteRawInsertTarget) throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { continuation.resume(with: Result { try body(self) }) }
        }
    }
}

private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
