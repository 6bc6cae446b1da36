import Foundation
import HummingbirdTesting
import Logging
import StageflowAPI
import StageflowServer
import StageflowStore
import Testing

/// A memory backend whose database can be "taken away": every call then throws `StorageUnavailable`.
actor SwitchableBackend: StorageBackend {
    private let base = MemoryBackend()
    private var down = false
    private var full = false

    func setDown(_ value: Bool) { down = value }
    /// Plays a full disk: writes fail as SQLite's SQLITE_FULL does, reads still work.
    func setFull(_ value: Bool) { full = value }

    private func check() throws {
        if down { throw StorageUnavailable("the database is away (test)") }
    }

    func prepare() async throws {
        try check()
        try await base.prepare()
    }
    func currentRevision() async throws -> Int64 {
        try check()
        return try await base.currentRevision()
    }
    func compactedRevision() async throws -> Int64 {
        try check()
        return try await base.compactedRevision()
    }
    func get(_ key: ObjectKey) async throws -> StoredRecord? {
        try check()
        return try await base.get(key)
    }
    func list(resource: String, namespace: String?, after: ObjectKey?, limit: Int?) async throws
        -> (records: [StoredRecord], revision: Int64)
    {
        try check()
        return try await base.list(resource: resource, namespace: namespace, after: after, limit: limit)
    }
    func write(_ mutation: Mutation) async throws -> Int64 {
        try check()
        if full { throw StorageUnavailable("SQLite: database or disk is full (code 13)", storageFull: true) }
        return try await base.write(mutation)
    }
    func events(after revision: Int64, limit: Int) async throws -> [ChangeEvent] {
        try check()
        return try await base.events(after: revision, limit: limit)
    }
    func compact(through revision: Int64) async throws {
        try check()
        try await base.compact(through: revision)
    }
    nonisolated func changeSignals() -> AsyncStream<Void> { base.changeSignals() }
    func close() async { await base.close() }
}

@Suite("Storage outages")
struct StorageOutageTests {
    @Test("an unreachable database is 503 ServiceUnavailable, and /readyz and /healthz say so")
    func unavailable() async throws {
        let backend = SwitchableBackend()
        let store = ResourceStore(backend: backend, configuration: testStoreConfiguration)
        try await store.start()
        var logger = Logger(label: "stageflow.server.test")
        logger.logLevel = .critical
        let server = APIServer(store: store, configuration: APIServerConfiguration(port: 0), logger: logger)
        try await server.makeApplication().test(.router) { client in
            server.readiness.markServing()
            #expect(try await client.send(.get, "/readyz").status == .ok)
            await backend.setDown(true)
            let list = try await client.send(.get, Paths.scanJobs())
            #expect(list.status == .serviceUnavailable)
            #expect(list.json["reason"] == "ServiceUnavailable")
            let create = try await client.send(.post, Paths.scanJobs(), json: scanJob("job"))
            #expect(create.status == .serviceUnavailable)
            #expect(try await client.send(.get, "/readyz").status == .serviceUnavailable)
            #expect(try await client.send(.get, "/healthz").status == .serviceUnavailable)
            #expect(try await client.send(.get, "/livez").status == .ok)
            #expect(try await client.send(.get, "/metrics").text.contains("apiserver_storage_errors_total"))
            await backend.setDown(false)
            #expect(try await client.scanJobNames().isEmpty)
        }
        await store.shutdown()
    }

    @Test("a full disk: writes are 503 saying the storage is full, reads still work, /readyz is unready until a write succeeds")
    func storageFull() async throws {
        let backend = SwitchableBackend()
        let store = ResourceStore(backend: backend, configuration: testStoreConfiguration)
        try await store.start()
        _ = try await store.create(.scanner, scannerManifest("axe"))
        var logger = Logger(label: "stageflow.server.test")
        logger.logLevel = .critical
        let server = APIServer(store: store, configuration: APIServerConfiguration(port: 0), logger: logger)
        try await server.makeApplication().test(.router) { client in
            server.readiness.markServing()
            #expect(try await client.send(.post, Paths.scanJobs(), json: scanJob("before")).status == .created)
            await backend.setFull(true)
            let refused = try await client.send(.post, Paths.scanJobs(), json: scanJob("during"))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.json["message"] == "the server's storage is full: writes fail until space is freed on its data volume")
            #expect(try await client.scanJobNames() == ["before"], "reads still work")
            #expect(try await client.send(.get, "/readyz").status == .serviceUnavailable)
            await backend.setFull(false)
            #expect(try await client.send(.post, Paths.scanJobs(), json: scanJob("after")).status == .created)
            #expect(try await client.send(.get, "/readyz").status == .ok)
            #expect(try await client.scanJobNames() == ["after", "before"])
        }
        await store.shutdown()
    }
}
