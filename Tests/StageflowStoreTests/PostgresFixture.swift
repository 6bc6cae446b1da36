import StageflowPostgres
import StageflowStore
import StageflowTestSupport

/// Backends on the throwaway PostgreSQL cluster of this test process: each gets a database of its own.
enum PostgresFixture {
    static func makeBackend() async throws -> any StorageBackend {
        try PostgresBackend(url: try await PostgresCluster.shared().makeDatabase())
    }
}
