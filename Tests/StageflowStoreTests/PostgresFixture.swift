import StageflowStore

/// Backends on the throwaway PostgreSQL cluster of this test process.
enum PostgresFixture {
    static func makeBackend() async throws -> any StorageBackend {
        throw StorageUnavailable("PostgreSQL backend not wired yet")
    }
}
