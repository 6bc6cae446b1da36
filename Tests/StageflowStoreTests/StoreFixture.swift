import Foundation
import StageflowAPI
import StageflowStore
import Testing

/// The backends every conformance test runs against.
enum BackendKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh, empty backend of this kind.
    func makeBackend() async throws -> any StorageBackend {
        switch self {
        case .memory:
            return MemoryBackend()
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try SQLiteBackend(path: directory.appendingPathComponent("store.db").path)
        case .postgres:
            return try await PostgresFixture.makeBackend()
        }
    }
}

/// Runs `body` with a started store over a fresh backend, shutting it down afterwards.
func withStore<T>(
    _ kind: BackendKind, configuration: ResourceStore.Configuration = .init(compactionInterval: nil),
    _ body: (ResourceStore) async throws -> T
) async throws -> T {
    let store = ResourceStore(backend: try await kind.makeBackend(), configuration: configuration)
    try await store.start()
    do {
        let result = try await body(store)
        await store.shutdown()
        return result
    } catch {
        await store.shutdown()
        throw error
    }
}

/// A ScanJob manifest as a client would send it.
func scanJob(
    _ name: String, namespace: String = "default", urls: [String] = ["https://example.com/"],
    labels: [String: String] = [:]
) -> JSONValue {
    var metadata: [String: JSONValue] = ["name": .string(name), "namespace": .string(namespace)]
    if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
    return [
        "apiVersion": "stageflow.dev/v1alpha1",
        "kind": "ScanJob",
        "metadata": .object(metadata),
        "spec": ["target": ["urls": .array(urls.map { .string($0) })], "scanners": [["name": "axe"]]],
    ]
}

extension JSONValue {
    var resourceVersion: String { self[path: ["metadata", "resourceVersion"]]?.stringValue ?? "" }
    var revision: Int64 { Int64(resourceVersion) ?? -1 }
    var generation: Int64 { self[path: ["metadata", "generation"]]?.intValue ?? -1 }
    var name: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }

    func setting(_ path: [String], _ value: JSONValue?) -> JSONValue {
        guard let first = path.first else { return value ?? .null }
        var copy = self
        let child = (self[first] ?? .object([:])).setting(Array(path.dropFirst()), value)
        if path.count == 1, value == nil {
            if case .object(var members) = copy {
                members.removeValue(forKey: first)
                copy = .object(members)
            }
        } else {
            copy[first] = child
        }
        return copy
    }
}

/// Collects `count` events from a watch, failing if they do not arrive within a generous bound.
func collect(_ count: Int, from watch: ResourceWatch) async throws -> [StoreEvent] {
    var iterator = watch.makeAsyncIterator()
    var events: [StoreEvent] = []
    var idle = 0
    while events.count < count {
        if let event = try await iterator.next(waitingAtMost: .seconds(1)) {
            events.append(event)
        } else {
            idle += 1
            if idle > 30 { break }
        }
    }
    return events
}
