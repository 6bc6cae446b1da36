import Foundation
import StageflowPostgres

/// Single-row inserts into a plain table through the backend's own driver (`PostgresConnectionPool`: the same
/// libpq code, pool size and blocking-thread discipline).
struct PostgresRawInsertTarget: RawInsertTarget {
    let pool: PostgresConnectionPool

    /// A target on `url` with `poolSize` connections.
    init(url: String, poolSize: Int) throws {
        pool = try PostgresConnectionPool(url: url, size: poolSize)
    }

    func prepare() async throws {
        try await pool.execute(
            "DROP TABLE IF EXISTS stageflow_bench_raw; CREATE TABLE stageflow_bench_raw (key text PRIMARY KEY, value bytea NOT NULL)")
    }

    func insert(key: String, value: Data) async throws {
        try await pool.execute("INSERT INTO stageflow_bench_raw (key, value) VALUES ($1, $2)", [.text(key), .bytea(value)])
    }

    func close() async {
        try? await pool.execute("DROP TABLE IF EXISTS stageflow_bench_raw")
        await pool.close()
    }
}
