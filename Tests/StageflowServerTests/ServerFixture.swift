import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StageflowAPI
import StageflowServer
import StageflowStore
import Testing

/// A running API server over a fresh in-memory store, and a client for it.
struct TestServer: Sendable {
    let store: ResourceStore
    let server: APIServer
    let client: any TestClientProtocol
}

/// The store tunables tests use: no automatic compaction, quick polling.
let testStoreConfiguration = ResourceStore.Configuration(compactionInterval: nil, pollInterval: .milliseconds(50))

/// Runs `body` against a server over a new `MemoryBackend` store.
func withServer<T: Sendable>(
    _ setup: TestingSetup = .router,
    configuration: APIServerConfiguration = APIServerConfiguration(port: 0),
    store storeConfiguration: ResourceStore.Configuration = testStoreConfiguration,
    registeredScanners: [JSONValue] = [scannerManifest("axe"), scannerManifest("seo")],
    backend: any StorageBackend = MemoryBackend(),
    _ body: @Sendable (TestServer) async throws -> T
) async throws -> T {
    let store = ResourceStore(backend: backend, configuration: storeConfiguration)
    try await store.start()
    for scanner in registeredScanners { _ = try await store.create(.scanner, scanner) }
    var logger = Logger(label: "stageflow.server.test")
    logger.logLevel = .error
    // Requests get two minutes, as the machine running the tests may be loaded; tests of the deadline set their own.
    var configuration = configuration
    if configuration.requestTimeout == APIServerConfiguration().requestTimeout { configuration.requestTimeout = .seconds(120) }
    let server = APIServer(store: store, configuration: configuration, logger: logger)
    let app = try server.makeApplication()
    do {
        let result = try await app.test(setup) { client in
            try await body(TestServer(store: store, server: server, client: client))
        }
        await store.shutdown()
        return result
    } catch {
        await store.shutdown()
        throw error
    }
}

/// Paths of the collections.
enum Paths {
    static let group = "/apis/stageflow.dev/v1alpha1"
    static func scanJobs(_ namespace: String = "default") -> String { "\(group)/namespaces/\(namespace)/scanjobs" }
    static func scanJob(_ name: String, _ namespace: String = "default") -> String { "\(scanJobs(namespace))/\(name)" }
    static let scanners = "\(group)/scanners"
}

/// A valid ScanJob manifest.
func scanJob(
    _ name: String, namespace: String? = "default", urls: [String] = ["https://example.com/"],
    labels: [String: String] = [:], scanners: [String] = ["axe"]
) -> JSONValue {
    var metadata: [String: JSONValue] = ["name": .string(name)]
    if let namespace { metadata["namespace"] = .string(namespace) }
    if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
    return [
        "apiVersion": "stageflow.dev/v1alpha1",
        "kind": "ScanJob",
        "metadata": .object(metadata),
        "spec": [
            "target": ["urls": .array(urls.map { .string($0) })],
            "scanners": .array(scanners.map { ["name": .string($0)] }),
        ],
    ]
}

/// A valid Scanner manifest (cluster-scoped).
func scannerManifest(_ name: String) -> JSONValue {
    [
        "apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": ["name": .string(name)],
        "spec": ["id": .string(name), "version": "1.0.0", "entry": ["builtin": .string(name)]],
    ]
}

extension TestClientProtocol {
    /// Sends a request with a JSON (or raw text) body and returns the response.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, text: String? = nil,
        contentType: String? = nil, accept: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.userAgent: "stageflow-tests/1.0"]
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: json.jsonData())
            headers[.contentType] = contentType ?? "application/json"
        } else if let text {
            body = ByteBuffer(string: text)
            headers[.contentType] = contentType ?? "application/json"
        } else if let contentType {
            headers[.contentType] = contentType
        }
        if let accept { headers[.accept] = accept }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// Creates a ScanJob and returns it, requiring success.
    @discardableResult
    func createScanJob(_ object: JSONValue, namespace: String = "default") async throws -> JSONValue {
        let response = try await send(.post, Paths.scanJobs(namespace), json: object)
        #expect(response.status == .created, "\(response.text)")
        return response.json
    }

    /// The names of the ScanJobs in a namespace.
    func scanJobNames(_ namespace: String = "default") async throws -> [String] {
        let list = try await send(.get, Paths.scanJobs(namespace)).json
        return (list["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    /// The store revision a list reports.
    func listRevision() async throws -> String {
        try await send(.get, Paths.scanJobs()).json[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as JSON (`null` when it is not JSON).
    var json: JSONValue { (try? JSONValue.parse(Data(body.readableBytesView))) ?? .null }

    /// The body as watch events, one per line.
    var events: [WatchEvent] {
        text.split(separator: "\n").compactMap { line in
            try? JSONDecoder().decode(WatchEvent.self, from: Data(line.utf8))
        }
    }
}

extension JSONValue {
    /// `metadata.resourceVersion`.
    var resourceVersion: String? { self[path: ["metadata", "resourceVersion"]]?.stringValue }
    /// `metadata.generation`.
    var generation: Int64? { self[path: ["metadata", "generation"]]?.intValue }
    /// `metadata.name`.
    var name: String? { self[path: ["metadata", "name"]]?.stringValue }
}

