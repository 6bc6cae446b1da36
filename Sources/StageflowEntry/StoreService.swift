import ServiceLifecycle
import StageflowStore

/// Keeps the store's background work (watch poller, compaction) running for the life of the service group and
/// closes the database on shutdown.
struct StoreService: Service {
    let store: ResourceStore

    func run() async throws {
        try? await gracefulShutdown()
        await store.shutdown()
    }
}
