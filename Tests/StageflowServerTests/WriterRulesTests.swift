import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
import StageflowIntake
import StageflowObjectStore
@testable import StageflowServer
import Testing

/// The rules that keep writers inside their tenancy and away from the host: no command lines through the API,
/// installed scanners kept, archives only one's own, and every write — the in-process controllers' too —
/// admitted by the one write path.
@Suite("Writer rules and the one write path")
struct WriterRulesTests {
    static let tokens = try! AccessTokens.parse(
        yaml: """
            tokens:
              - {token: cluster-admin-token-0123, user: root, namespaces: ["*"], role: admin}
              - {token: controller-token-0123456, user: system:controller, namespaces: ["*"], role: controller}
            """)

    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String, json: JSONValue? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(bytes: $0.jsonData()) })
    }

    static func execScanner(_ name: String, command: [String]? = ["/bin/sh", "-c", "id > /tmp/owned"], plugin: String? = nil)
        -> JSONValue
    {
        var entry: [String: JSONValue] = [:]
        if let command { entry["command"] = .array(command.map { .string($0) }) }
        if let plugin { entry["plugin"] = .string(plugin) }
        return [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": ["name": .string(name)],
            "spec": ["id": .string(name), "version": "1.0.0", "entry": .object(entry)],
        ]
    }

    @Test("a Scanner with a command line is refused, saying where plugins come from; one naming an installed plugin is not")
    func noCommandLines() async throws {
        let configuration = APIServerConfiguration(port: 0, access: AccessConfiguration(tokens: Self.tokens))
        try await withServer(configuration: configuration) { server in
            for token in ["cluster-admin-token-0123", "controller-token-0123456"] {
                let refused = try await Self.send(server.client, .post, Paths.scanners, token: token, json: Self.execScanner("shell"))
                #expect(refused.status == .unprocessableContent, "\(refused.text)")
                let cause = refused.json[path: ["details", "causes"]]?.arrayValue?.first
                #expect(cause?["field"] == "spec.entry.command")
                #expect(cause?["message"]?.stringValue?.contains("--plugin-dir") == true, "\(refused.text)")
            }
            let variant = try await Self.send(
                server.client, .post, Paths.scanners, token: "cluster-admin-token-0123",
                json: Self.execScanner("lighthouse-mobile", command: nil, plugin: "lighthouse"))
            #expect(variant.status == .created, "\(variant.text)")
            #expect(try await server.store.list(.scanner, namespace: nil).items.count == 3)
        }
    }

    @Test("installed scanners are the controllers' to write: an admin cannot replace or delete one")
    func installedScanners() async throws {
        let configuration = APIServerConfiguration(port: 0, access: AccessConfiguration(tokens: Self.tokens))
        var installed = scannerManifest("seo-installed")
        installed[path: "metadata", "labels"] = [WriterRules.installedLabel: "true"]
        try await withServer(configuration: configuration, registeredScanners: [installed]) { server in
            var replacement = try await server.store.get(.scanner, namespace: nil, name: "seo-installed")
            replacement[path: "spec", "entry"] = ["plugin": "evil"]
            let put = try await Self.send(
                server.client, .put, Paths.scanners + "/seo-installed", token: "cluster-admin-token-0123", json: replacement)
            #expect(put.status == .forbidden, "\(put.text)")
            let patch = try await Self.send(
                server.client, .patch, Paths.scanners + "/seo-installed", token: "cluster-admin-token-0123",
                json: ["metadata": ["labels": [WriterRules.installedLabel: nil]]], contentType: "application/merge-patch+json")
            #expect(patch.status == .forbidden, "removing the label is a change too: \(patch.text)")
            let delete = try await Self.send(server.client, .delete, Paths.scanners + "/seo-installed", token: "cluster-admin-token-0123")
            #expect(delete.status == .forbidden, "\(delete.text)")
            let byController = try await Self.send(
                server.client, .put, Paths.scanners + "/seo-installed", token: "controller-token-0123456", json: replacement)
            #expect(byController.status == .ok, "\(byController.text)")
        }
    }

    @Test("a job may name only its own upload as its archive")
    func ownArchiveOnly() async throws {
        try await withServer { server in
            var job = scanJob("thief")
            job[path: "spec", "target"] = ["archive": ["objectKey": "staging/0b5c6f0e-0000-4000-8000-000000000001/site.zip", "fileName": "site.zip"]]
            let response = try await server.client.send(.post, Paths.scanJobs(), json: job)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(response.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "spec.target.archive.objectKey")
            #expect(try await server.client.scanJobNames().isEmpty)
        }
    }

    @Test("editors and namespace admins cannot write status: it is what the controllers observed")
    func statusIsTheControllers() async throws {
        let tokens = try AccessTokens.parse(
            yaml: """
                tokens:
                  - {token: editor-token-0123456789, user: eddie, namespaces: [default], role: editor}
                  - {token: admin-token-01234567890, user: ada, namespaces: [default], role: admin}
                  - {token: controller-token-0123456, user: system:controller, namespaces: ["*"], role: controller}
                """)
        let configuration = APIServerConfiguration(port: 0, access: AccessConfiguration(tokens: tokens))
        try await withServer(configuration: configuration) { server in
            let created = try await Self.send(server.client, .post, Paths.scanJobs(), token: "editor-token-0123456789", json: scanJob("job"))
            var job = created.json
            job["status"] = ["phase": "Done", "reportRef": ["jsonKey": "artifacts/another-tenant/report.json"]]
            for token in ["editor-token-0123456789", "admin-token-01234567890"] {
                let response = try await Self.send(server.client, .put, Paths.scanJob("job") + "/status", token: token, json: job)
                #expect(response.status == .forbidden, "\(response.text)")
            }
            let byController = try await Self.send(
                server.client, .put, Paths.scanJob("job") + "/status", token: "controller-token-0123456", json: job)
            #expect(byController.status == .ok, "\(byController.text)")
        }
    }

    @Test("the in-process controllers' writes pass admission: a schema violation is refused there too")
    func inProcessAdmission() async throws {
        try await withServer { server in
            let api = server.server.inProcessAPI
            var bad = scanJob("bad")
            bad[path: "spec", "target", "urls"] = ["not a url"]
            await #expect(throws: APIStatus.self) { try await api.create(.scanJob, bad) }
            let created = try await api.create(.scanJob, scanJob("good"))
            #expect(created[path: ["metadata", "managedFields"]]?.arrayValue?.first?["manager"] == "stageflow-controller")
            var unknown = created
            unknown[path: "spec", "nonsense"] = true
            await #expect(throws: APIStatus.self) { try await api.update(.scanJob, unknown) }
            var status = created
            status["status"] = ["phase": "Nonsense"]
            await #expect(throws: APIStatus.self) { try await api.updateStatus(.scanJob, status) }
        }
    }
}

/// Counts lookups and answers each after a delay, for checking how often admission resolves.
final class CountingResolver: HostResolver, @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String] = []
    let delay: Duration
    let answer: [IPAddress]

    init(delay: Duration = .milliseconds(300), answer: [IPAddress] = [IPAddress("93.184.216.34")!]) {
        self.delay = delay
        self.answer = answer
    }

    var lookups: [String] { lock.withLock { calls } }

    func addresses(of host: String) async throws -> [IPAddress] {
        lock.withLock { calls.append(host) }
        try await Task.sleep(for: delay)
        return answer
    }
}

/// Parsing and resolution cost what the request is worth: aliases cannot expand, the schema bounds the URL list
/// before a single lookup, a slow name is looked up once per write, and an unchanged target not at all.
@Suite("Bounded parsing and resolution")
struct BoundedAdmissionTests {
    static func configuration(_ resolver: CountingResolver) -> APIServerConfiguration {
        APIServerConfiguration(port: 0, targetURLs: TargetURLAdmission(resolver: resolver))
    }

    @Test("a YAML alias bomb is 400 naming aliases, not gigabytes")
    func aliasBomb() async throws {
        var bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
        for level in 1..<9 {
            let previous = "*l\(level - 1)".replacingOccurrences(of: "*l0", with: "*a")
            bomb += "l\(level): &l\(level) [\(Array(repeating: previous, count: 10).joined(separator: ","))]\n"
        }
        let yaml = bomb
        try await withServer { server in
            let response = try await server.client.send(.post, Paths.scanJobs(), text: yaml, contentType: "application/yaml")
            #expect(response.status == .badRequest, "\(response.text.prefix(300))")
            #expect(response.json["message"]?.stringValue?.contains("aliases") == true, "\(response.text.prefix(300))")
            let jobs = try await server.client.send(.post, "/api/v1/jobs/urls", text: yaml, contentType: "application/yaml")
            #expect(jobs.status == .badRequest, "\(jobs.text.prefix(300))")
        }
    }

    @Test("10,000 URLs are refused by the schema before any name is looked up")
    func schemaBeforeLookups() async throws {
        let resolver = CountingResolver()
        try await withServer(configuration: Self.configuration(resolver)) { server in
            let urls = (0..<10_000).map { "https://host-\($0).example.com/" }
            let response = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("many", urls: urls))
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("spec.target.urls"))
            let api = try await server.client.send(
                .post, "/api/v1/jobs/urls", json: ["urls": .array(urls.map { .string($0) }), "scanners": ["axe"]])
            #expect(api.status == .unprocessableContent)
            #expect(resolver.lookups.isEmpty, "\(resolver.lookups.count) lookups")
        }
    }

    @Test("a slowly resolving name is looked up once per write; a label-only patch looks up nothing")
    func lookedUpOnce() async throws {
        let resolver = CountingResolver()
        try await withServer(configuration: Self.configuration(resolver)) { server in
            var job = scanJob("slow", urls: ["https://slow.example.com/", "https://slow.example.com/about"])
            job[path: "metadata", "name"] = nil
            job[path: "metadata", "generateName"] = "slow-"
            let created = try await server.client.send(.post, Paths.scanJobs(), json: job)
            #expect(created.status == .created, "\(created.text)")
            #expect(resolver.lookups == ["slow.example.com"])
            let name = try #require(created.json[path: ["metadata", "name"]]?.stringValue)
            let patched = try await server.client.send(
                .patch, Paths.scanJob(name), json: ["metadata": ["labels": ["team": "web"]]],
                contentType: "application/merge-patch+json")
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(resolver.lookups == ["slow.example.com"])
        }
    }

    @Test("a ScanSchedule's URLs pass the same policy as a ScanJob's")
    func scheduleURLs() async throws {
        try await withServer { server in
            let schedule: JSONValue = [
                "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanSchedule", "metadata": ["name": "nightly"],
                "spec": [
                    "schedule": "0 3 * * *",
                    "jobTemplate": [
                        "spec": ["target": ["urls": ["http://169.254.169.254/latest/meta-data/"]], "scanners": [["name": "axe"]]]
                    ],
                ],
            ]
            let response = try await server.client.send(
                .post, "/apis/stageflow.dev/v1alpha1/namespaces/default/scanschedules", json: schedule)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(response.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "spec.jobTemplate.spec.target.urls[0]")
        }
    }

    @Test("creations through server-side apply count against the creation limit like every other route")
    func applyIsRateLimited() async throws {
        let tokens = try AccessTokens.parse(
            yaml: "tokens:\n  - {token: editor-token-0123456789, user: eddie, namespaces: [default], role: editor}\n")
        let configuration = APIServerConfiguration(
            port: 0, access: AccessConfiguration(tokens: tokens, jobCreationsPerMinute: 2))
        try await withServer(configuration: configuration) { server in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<3 {
                let response = try await server.client.execute(
                    uri: Paths.scanJob("applied-\(index)") + "?fieldManager=kubectl", method: .patch,
                    headers: [.authorization: "Bearer editor-token-0123456789", .contentType: "application/apply-patch+yaml"],
                    body: ByteBuffer(bytes: scanJob("applied-\(index)").jsonData()))
                statuses.append(response.status)
            }
            #expect(statuses == [.created, .created, .tooManyRequests])
        }
    }

    @Test("a flood of multipart parts or header bytes is 400 naming the limit, before anything is stored")
    func multipartLimits() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: APIServerConfiguration(port: 0, artifacts: ObjectStoreArtifactReader(objects: objects))) { server in
            let boundary = "b0undary"
            var manyParts = ""
            for index in 0..<20 { manyParts += "--\(boundary)\r\nContent-Disposition: form-data; name=\"x\(index)\"\r\n\r\nv\r\n" }
            manyParts += "--\(boundary)--\r\n"
            var bigHeader = "--\(boundary)\r\nContent-Disposition: form-data; name=\"scanners\"\r\n"
            bigHeader += "X-Filler: " + String(repeating: "a", count: 64 * 1024) + "\r\n\r\nv\r\n--\(boundary)--\r\n"
            for (body, expected) in [(manyParts, "parts"), (bigHeader, "header")] {
                let response = try await server.client.execute(
                    uri: "/api/v1/jobs/zip", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(response.text)")
                #expect(response.json["message"]?.stringValue?.contains(expected) == true, "\(response.text)")
            }
            #expect(try await objects.list(prefix: "").isEmpty)
            #expect(try await server.client.scanJobNames().isEmpty)
        }
    }
}
