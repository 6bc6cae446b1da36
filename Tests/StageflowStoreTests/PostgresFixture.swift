import StageflowPostgres
import StageflowStore
import StageflowTestSupport

/// Backends on the throwaway PostgreSQL cluster of this test process: each gets a database of its own.
enum PostgresFixture {
    static func makeBackend() async throws -> any StorageBackend {
        try backend(url: try await PostgresCluster.shared().makeDatabase())
    }

    /// A backend on `url` whose deadlines allow for a loaded test machine (the defaults fail a request within
    /// 10 s, which a busy machine running many tests at once can take for a database that answers).
    static func backend(url: String) throws -> PostgresBackend {
        try PostgresBackend(configuration: .init(url: url, statementTimeout: .seconds(120), acquireTimeout: .seconds(120)))
    }
}
