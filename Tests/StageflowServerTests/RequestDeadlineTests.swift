import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
@testable import StageflowServer
import StageflowStore
import Testing

/// A backend over memory whose reads and writes can be made to hang, as a database does that accepts
/// connections and never answers.
final class HangingBackend: StorageBackend, @unchecked Sendable {
    private let base = MemoryBackend()
    private let lock = NSLock()
    private var hanging = false
    private var stuck: [CheckedContinuation<Void, Never>] = []

    func hang() { lock.withLock { hanging = true } }

    func release() {
        let waiting = lock.withLock {
            hanging = false
            defer { stuck = [] }
            return stuck
        }
        for continuation in waiting { continuation.resume() }
    }

    private func gate() async {
        await withCheckedContinuation { continuation in
            let wait = lock.withLock {
                if hanging { stuck.append(continuation) }
                return hanging
            }
            if !wait { continuation.resume() }
        }
    }

    func prepare() async throws { try await base.prepare() }
    func currentRevision() async throws -> Int64 {
        await gate()
        return try await base.currentRevision()
    }
    func compactedRevision() async throws -> Int64 { try await base.compactedRevision() }
    func get(_ key: ObjectKey) async throws -> StoredRecord? {
        await gate()
        return try await base.get(key)
    }
    func list(resource: String, namespace: String?, after: ObjectKey?, limit: Int?) async throws
        -> (records: [StoredRecord], revision: Int64)
    {
        await gate()
        return try await base.list(resource: resource, namespace: namespace, after: after, limit: limit)
    }
    func write(_ mutation: Mutation) async throws -> Int64 {
        await gate()
        return try await base.write(mutation)
    }
    func events(after revision: Int64, limit: Int) async throws -> [ChangeEvent] {
        await gate()
        return try await base.events(after: revision, limit: limit)
    }
    func compact(through revision: Int64) async throws { try await base.compact(through: revision) }
    func changeSignals() -> AsyncStream<Void> { base.changeSignals() }
    func close() async {
        release()
        await base.close()
    }
}

@Suite("Request deadlines")
struct RequestDeadlineTests {
    @Test("a store that hangs: a write is 504 saying its outcome is unknown, a read 503, /readyz unready; then all is well again")
    func hungStore() async throws {
        let backend = HangingBackend()
        var configuration = APIServerConfiguration(port: 0)
        configuration.requestTimeout = .seconds(1)
        try await withServer(.live, configuration: configuration, registeredScanners: [], backend: backend) { server in
            let before = try await server.client.send(.post, Paths.scanners, json: scannerManifest("before"))
            #expect(before.status == .created)
            #expect(try await server.client.send(.get, "/readyz").status == .ok)
            backend.hang()
            let write = try await server.client.send(.post, Paths.scanners, json: scannerManifest("during"))
            #expect(write.status == .gatewayTimeout, "\(write.text)")
            #expect(write.json["message"]?.stringValue?.contains("may or may not have been applied") == true)
            #expect(write.headers[.retryAfter] == "1")
            let read = try await server.client.send(.get, Paths.scanners)
            #expect(read.status == .serviceUnavailable, "\(read.text)")
            #expect(try await server.client.send(.get, "/livez").status == .ok)
            // The store's own calls (the watch poller's) stop succeeding, so readiness follows.
            var ready = HTTPResponse.Status.ok
            for _ in 0..<200 where ready == .ok {
                ready = try await server.client.send(.get, "/readyz").status
                if ready == .ok { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(ready == .serviceUnavailable)
            backend.release()
            let after = try await server.client.send(.post, Paths.scanners, json: scannerManifest("after"))
            #expect(after.status == .created, "\(after.text)")
            let names = (try await server.client.send(.get, Paths.scanners).json["items"]?.arrayValue ?? [])
                .compactMap { $0[path: ["metadata", "name"]]?.stringValue }
            #expect(names.contains("before") && names.contains("after"), "\(names)")
        }
    }
}
