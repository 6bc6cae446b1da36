import Foundation
import StageflowThrowaway
import StageflowPostgres
import StageflowStore

/// Runs every phase of the store benchmark on every selected backend.
struct StoreBenchmarkRunner {
    let settings: StoreBenchmarkSettings

    /// Measures each backend in turn; progress goes to standard error.
    func run() async throws -> StoreBenchmarkReport {
        var results: [BackendReport] = []
        var server: String?
        for backend in settings.backends {
            switch backend {
            case .sqlite:
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                let path = directory.appendingPathComponent("store.db").path
                results.append(
                    try await measure(.sqlite, backend: try SQLiteBackend(path: path), raw: try SQLiteRawInsertTarget(path: path)))
            case .postgres:
                if let url = settings.databaseURL {
                    server = "given by --database-url"
                    results.append(try await measurePostgres(url: url))
                } else {
                    progress("starting a throwaway PostgreSQL server")
                    let throwaway = try await PostgresCluster.start(durable: settings.durable)
                    server = "throwaway, \(settings.durable ? "fsync and synchronous_commit on" : "fsync and synchronous_commit off")"
                    do {
                        results.append(try await measurePostgres(url: try await throwaway.makeDatabase()))
                    } catch {
                        throwaway.stop()
                        throw error
                    }
                    throwaway.stop()
                }
            }
        }
        return StoreBenchmarkReport(settings: settings, postgresServer: server, backends: results)
    }

    private func measurePostgres(url: String) async throws -> BackendReport {
        let backend = try PostgresBackend(configuration: .init(url: url, poolSize: settings.poolSize))
        return try await measure(.postgres, backend: backend, raw: try PostgresRawInsertTarget(url: url, poolSize: settings.poolSize))
    }

    private func measure(
        _ kind: StoreBenchmarkSettings.Backend, backend: any StorageBackend, raw: any RawInsertTarget
    ) async throws -> BackendReport {
        let run = "bench-\(UInt32.random(in: 0...UInt32.max))"
        let store = ResourceStore(backend: backend)
        try await store.start()
        let workload = StoreWorkload(store: store, duration: settings.duration)
        progress("\(kind.rawValue): creates at concurrency \(settings.concurrency)")
        let creates = try await workload.createsAtConcurrency(settings.concurrency, prefix: "\(run)-c")
        progress("\(kind.rawValue): creates at \(settings.rate)/s without watchers")
        let atRateAlone = try await workload.createsAtRate(settings.rate, watchers: 0, prefix: "\(run)-q")
        progress("\(kind.rawValue): creates at \(settings.rate)/s with \(settings.watchers) watchers")
        let atRate = try await workload.createsAtRate(settings.rate, watchers: settings.watchers, prefix: "\(run)-r")
        progress("\(kind.rawValue): backend writes at concurrency \(settings.concurrency)")
        let backendWrites = try await BackendWriteTarget(backend: backend).measure(
            concurrency: settings.concurrency, duration: settings.duration, prefix: "\(run)-b")
        await store.shutdown()

        try await raw.prepare()
        progress("\(kind.rawValue): raw INSERT loop, sequential")
        let sequential = try await raw.measure(concurrency: 1, duration: settings.duration, prefix: "\(run)-s")
        progress("\(kind.rawValue): raw INSERT loop at concurrency \(settings.concurrency)")
        let concurrent = try await raw.measure(concurrency: settings.concurrency, duration: settings.duration, prefix: "\(run)-p")
        await raw.close()
        return BackendReport(
            backend: kind, createsAtConcurrency: creates, createsAtRateWithoutWatchers: atRateAlone, createsAtRate: atRate,
            backendWritesAtConcurrency: backendWrites, rawInsertSequential: sequential,
            rawInsertAtConcurrency: concurrent)
    }

    private func progress(_ message: String) {
        FileHandle.standardError.write(Data("stageflow-bench: \(message)\n".utf8))
    }
}
