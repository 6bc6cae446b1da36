import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StageflowAPI
import StageflowObjectStore
@testable import StageflowServer
import Testing

/// Captures log lines, for the audit tests.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(message: String, metadata: Logger.Metadata)] = []

    var lines: [(message: String, metadata: Logger.Metadata)] { lock.withLock { entries } }

    func append(_ message: String, _ metadata: Logger.Metadata) { lock.withLock { entries.append((message, metadata)) } }

    var logger: Logger {
        Logger(label: "stageflow.audit") { _ in CapturingHandler(log: self) }
    }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) {
            log.append(message.description, self.metadata.merging(metadata ?? [:]) { $1 })
        }
    }
}

/// Tokens, roles and namespaces; anonymous reads; signed links; the creation rate limit; audit lines.
@Suite("Authentication and authorisation")
struct AccessTests {
    static let tokens = try! AccessTokens.parse(
        yaml: """
            tokens:
              - {token: viewer-token-0123456789, user: vera, namespaces: [team-a], role: viewer}
              - {token: editor-token-0123456789, user: eddie, namespaces: [team-a], role: editor}
              - {token: admin-token-01234567890, user: ada, namespaces: [team-a], role: admin}
              - {token: cluster-admin-token-0123, user: root, namespaces: ["*"], role: admin}
              - {token: controller-token-0123456, user: system:controller, namespaces: ["*"], role: controller}
            """)

    static func configuration(
        anonymousRead: Bool = false, rate: Int = 30, audit: Logger = Logger(label: "stageflow.audit"),
        objects: MemoryObjectStore? = nil
    ) -> APIServerConfiguration {
        APIServerConfiguration(
            port: 0, artifacts: objects.map { ObjectStoreArtifactReader(objects: $0) },
            access: AccessConfiguration(tokens: tokens, anonymousRead: anonymousRead, jobCreationsPerMinute: rate, auditLogger: audit))
    }

    enum Caller: String, CaseIterable, Sendable {
        case anonymous, viewer, editor, admin
        var token: String? {
            switch self {
            case .anonymous: return nil
            case .viewer: return "viewer-token-0123456789"
            case .editor: return "editor-token-0123456789"
            case .admin: return "admin-token-01234567890"
            }
        }
    }

    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String?, json: JSONValue? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: json.jsonData())
            headers[.contentType] = contentType
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// Expected status per caller × (read, write) × (own, other namespace).
    static let matrix: [(Caller, write: Bool, own: Bool, expected: HTTPResponse.Status)] = [
        (.anonymous, false, true, .unauthorized), (.anonymous, false, false, .unauthorized),
        (.anonymous, true, true, .unauthorized), (.anonymous, true, false, .unauthorized),
        (.viewer, false, true, .ok), (.viewer, false, false, .forbidden),
        (.viewer, true, true, .forbidden), (.viewer, true, false, .forbidden),
        (.editor, false, true, .ok), (.editor, false, false, .forbidden),
        (.editor, true, true, .created), (.editor, true, false, .forbidden),
        (.admin, false, true, .ok), (.admin, false, false, .forbidden),
        (.admin, true, true, .created), (.admin, true, false, .forbidden),
    ]

    @Test("the authorisation matrix: caller × read/write × own/other namespace")
    func authorisationMatrix() async throws {
        try await withServer(configuration: Self.configuration()) { server in
            for (index, row) in Self.matrix.enumerated() {
                let namespace = row.own ? "team-a" : "team-b"
                let response: TestResponse
                if row.write {
                    let job = scanJob("job-\(index)", namespace: namespace)
                    response = try await Self.send(server.client, .post, Paths.scanJobs(namespace), token: row.0.token, json: job)
                } else {
                    response = try await Self.send(server.client, .get, Paths.scanJobs(namespace), token: row.0.token)
                }
                #expect(response.status == row.expected, "\(row.0) write=\(row.write) own=\(row.own): \(response.text)")
                if response.status == .forbidden {
                    #expect(response.json["reason"] == "Forbidden")
                    #expect(response.json["message"]?.stringValue?.contains("team-b") == true || row.write, "\(response.text)")
                }
            }
            // The job API follows the same rules.
            for caller in Caller.allCases {
                let body: JSONValue = ["urls": ["https://example.com/"], "scanners": ["axe"], "namespace": "team-a"]
                let response = try await Self.send(server.client, .post, "/api/v1/jobs/urls", token: caller.token, json: body)
                let expected: HTTPResponse.Status = [.editor, .admin].contains(caller) ? .created : caller == .anonymous ? .unauthorized : .forbidden
                #expect(response.status == expected, "\(caller): \(response.text)")
            }
            // Scanners are cluster-scoped: only admins of every namespace write them (an admin of one namespace
            // would otherwise change what runs in every other's scans); everyone signed in reads them.
            let viewerRead = try await Self.send(server.client, .get, Paths.scanners, token: Caller.viewer.token)
            #expect(viewerRead.status == .ok)
            for caller in [Caller.editor, .admin] {
                let response = try await Self.send(
                    server.client, .post, Paths.scanners, token: caller.token, json: scannerManifest("extra-\(caller)"))
                #expect(response.status == .forbidden, "\(caller): \(response.text)")
            }
            let clusterAdmin = try await Self.send(
                server.client, .post, Paths.scanners, token: "cluster-admin-token-0123", json: scannerManifest("extra-root"))
            #expect(clusterAdmin.status == .created, "\(clusterAdmin.text)")
            let unknown = try await Self.send(server.client, .get, Paths.scanJobs("team-a"), token: "not-a-known-token-000")
            #expect(unknown.status == .unauthorized)
            let health = try await Self.send(server.client, .get, "/livez", token: nil)
            #expect(health.status == .ok)
        }
    }

    @Test("--anonymous-read opens reads, not writes")
    func anonymousRead() async throws {
        try await withServer(configuration: Self.configuration(anonymousRead: true)) { server in
            #expect(try await Self.send(server.client, .get, Paths.scanJobs("team-b"), token: nil).status == .ok)
            let write = try await Self.send(
                server.client, .post, Paths.scanJobs("team-b"), token: nil, json: scanJob("x", namespace: "team-b"))
            #expect(write.status == .forbidden)
            let bad = try await Self.send(server.client, .get, Paths.scanJobs("team-b"), token: "unknown-token-0000000")
            #expect(bad.status == .unauthorized)
        }
    }

    @Test("job creation is limited per user: 429 with Retry-After")
    func rateLimit() async throws {
        try await withServer(configuration: Self.configuration(rate: 2)) { server in
            for index in 0..<2 {
                let response = try await Self.send(
                    server.client, .post, Paths.scanJobs("team-a"), token: Caller.editor.token,
                    json: scanJob("r\(index)", namespace: "team-a"))
                #expect(response.status == .created)
            }
            let limited = try await Self.send(
                server.client, .post, "/api/v1/jobs/urls", token: Caller.editor.token,
                json: ["urls": ["https://example.com/"], "scanners": ["axe"], "namespace": "team-a"])
            #expect(limited.status == .tooManyRequests, "\(limited.text)")
            let retry = Int(limited.headers[.retryAfter] ?? "") ?? 0
            #expect(retry >= 1 && retry <= 60)
            // Another user has a budget of their own.
            let other = try await Self.send(
                server.client, .post, Paths.scanJobs("team-a"), token: Caller.admin.token, json: scanJob("r9", namespace: "team-a"))
            #expect(other.status == .created)
        }
    }

    @Test("every write leaves an audit line with user, verb, resource, namespace, name and outcome")
    func auditLines() async throws {
        let log = CapturedLog()
        try await withServer(configuration: Self.configuration(audit: log.logger)) { server in
            _ = try await Self.send(
                server.client, .post, Paths.scanJobs("team-a"), token: Caller.editor.token, json: scanJob("audited", namespace: "team-a"))
            _ = try await Self.send(server.client, .delete, Paths.scanJob("audited", "team-b"), token: Caller.viewer.token)
            _ = try await Self.send(server.client, .get, Paths.scanJobs("team-a"), token: Caller.viewer.token)
        }
        let lines = log.lines
        #expect(lines.count == 2, "\(lines)")
        let created = try #require(lines.first)
        #expect(created.metadata["user"] == "eddie")
        #expect(created.metadata["verb"] == "create")
        #expect(created.metadata["resource"] == "scanjobs")
        #expect(created.metadata["namespace"] == "team-a")
        #expect(created.metadata["name"] == "audited")
        #expect(created.metadata["outcome"] == "allowed")
        let denied = try #require(lines.last)
        #expect(denied.metadata["user"] == "vera")
        #expect(denied.metadata["outcome"] == "denied")
        #expect(denied.metadata["namespace"] == "team-b")
    }

    @Test("signed report links need no token; expired or tampered ones are refused")
    func signedLinks() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: Self.configuration(objects: objects)) { server in
            let created = try await Self.send(
                server.client, .post, Paths.scanJobs("team-a"), token: Caller.editor.token, json: scanJob("shared", namespace: "team-a"))
            var job = created.json
            let uid = try #require(job[path: ["metadata", "uid"]]?.stringValue)
            job["status"] = ["phase": "Done", "reportRef": ["jsonKey": .string("artifacts/\(uid)/report.json")]]
            // Status is the controllers' to write.
            let byAdmin = try await Self.send(
                server.client, .put, Paths.scanJob("shared", "team-a") + "/status", token: Caller.admin.token, json: job)
            #expect(byAdmin.status == .forbidden, "\(byAdmin.text)")
            let status = try await Self.send(
                server.client, .put, Paths.scanJob("shared", "team-a") + "/status", token: "controller-token-0123456", json: job)
            #expect(status.status == .ok, "\(status.text)")
            try await objects.put("artifacts/\(uid)/report.json", text: "{\"version\":\"2.0.0\"}", contentType: "application/json")

            let redirect = try await Self.send(server.client, .get, "/api/v1/jobs/\(uid)/report", token: Caller.viewer.token)
            #expect(redirect.status == .found, "\(redirect.text)")
            let location = try #require(redirect.headers[.location])
            #expect(location.contains("expires=") && location.contains("signature="))

            let followed = try await Self.send(server.client, .get, location, token: nil)
            #expect(followed.status == .ok, "\(followed.text)")
            #expect(followed.text == "{\"version\":\"2.0.0\"}")

            let tampered = location.replacingOccurrences(of: "report.json", with: "other.json")
            #expect(try await Self.send(server.client, .get, tampered, token: nil).status == .forbidden)
            let badSignature = String(location.dropLast()) + (location.hasSuffix("0") ? "1" : "0")
            #expect(try await Self.send(server.client, .get, badSignature, token: nil).status == .forbidden)
            let expired = location.replacingOccurrences(of: #"expires=\d+"#, with: "expires=1000", options: .regularExpression)
            let expiredResponse = try await Self.send(server.client, .get, expired, token: nil)
            #expect(expiredResponse.status == .forbidden)
            #expect(expiredResponse.json["message"]?.stringValue?.contains("expired") == true)
            // Without a signature the artifact route needs a token like any other.
            let unsigned = String(location.prefix(while: { $0 != "?" }))
            #expect(try await Self.send(server.client, .get, unsigned, token: nil).status == .unauthorized)
        }
    }

    @Test("the workbench follows the same rules: pages need a read grant in their namespace, the form a create grant")
    func workbenchAccess() async throws {
        @Sendable func page(
            _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String?, form: String? = nil
        )
            async throws -> TestResponse
        {
            var headers: HTTPFields = [.accept: "text/html"]
            if let token { headers[.authorization] = "Bearer \(token)" }
            if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
            return try await client.execute(uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) })
        }
        try await withServer(configuration: Self.configuration()) { server in
            // A browser without a session is sent to sign in, and back.
            let unsigned = try await page(server.client, .get, "/scans", token: nil)
            #expect(unsigned.status == .seeOther)
            #expect(unsigned.headers[.location] == "/login?next=%2Fscans")
            #expect(try await page(server.client, .get, "/", token: nil).status == .seeOther)
            let playground = try await page(server.client, .get, "/", token: Caller.viewer.token)
            #expect(playground.status == .ok)
            let submit = "csrf=\(try WorkbenchForms.csrf(in: playground.text))&urls=https%3A%2F%2Fexample.com%2F&scanner=axe&namespace="
            // The list of every job needs reads everywhere; a team viewer reads its own team's jobs.
            #expect(try await page(server.client, .get, "/scans", token: Caller.viewer.token).status == .forbidden)
            #expect(try await page(server.client, .get, "/scans/team-a/none", token: Caller.viewer.token).status == .notFound)
            #expect(try await page(server.client, .get, "/scans/team-b/none", token: Caller.viewer.token).status == .forbidden)
            #expect(try await page(server.client, .get, "/scans/team-b/none/report", token: Caller.admin.token).status == .forbidden)
            #expect(try await page(server.client, .get, "/api/v1/namespaces/team-b/jobs/stream", token: Caller.editor.token).status == .forbidden)
            // The playground creates only where the caller may create.
            let viewer = try await page(server.client, .post, "/", token: Caller.viewer.token, form: submit + "team-a")
            #expect(viewer.status == .forbidden, "\(viewer.text)")
            let other = try await page(server.client, .post, "/", token: Caller.editor.token, form: submit + "team-b")
            #expect(other.status == .forbidden, "\(other.text)")
            let own = try await page(server.client, .post, "/", token: Caller.editor.token, form: submit + "team-a")
            #expect(own.status == .seeOther, "\(own.text)")
            #expect(own.headers[.location]?.hasPrefix("/scans/team-a/") == true)
        }
        try await withServer(configuration: Self.configuration(anonymousRead: true)) { server in
            #expect(try await page(server.client, .get, "/scans", token: nil).status == .ok)
            let playground = try await page(server.client, .get, "/", token: nil)
            let submit = "csrf=\(try WorkbenchForms.csrf(in: playground.text))&urls=https%3A%2F%2Fexample.com%2F&scanner=axe&namespace="
            let anonymous = try await page(server.client, .post, "/", token: nil, form: submit + "team-a")
            #expect(anonymous.status == .forbidden, "\(anonymous.text)")
        }
    }

    @Test("a pinned link secret makes links outlive the server that signed them; short or missing files are refused")
    func linkSecretFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("secret").path
        try Data("  0123456789abcdef0123456789abcdef-pinned\n".utf8).write(to: URL(fileURLWithPath: good))
        #expect(try AccessConfiguration.loadLinkSecret(path: good) == Data("0123456789abcdef0123456789abcdef-pinned".utf8))
        let short = directory.appendingPathComponent("short").path
        try Data("too short\n".utf8).write(to: URL(fileURLWithPath: short))
        let error = #expect(throws: LinkSecretError.self) { try AccessConfiguration.loadLinkSecret(path: short) }
        #expect(error?.description.contains("at least 32 bytes") == true)
        #expect(error?.description.contains(short) == true)
        #expect(throws: LinkSecretError.self) { try AccessConfiguration.loadLinkSecret(path: directory.appendingPathComponent("none").path) }
        // Two servers with the same pinned secret accept each other's links; a random secret does not.
        let pinned = try AccessConfiguration.loadLinkSecret(path: good)
        let first = LinkSigner(secret: pinned, lifetime: .seconds(60))
        let second = LinkSigner(secret: try AccessConfiguration.loadLinkSecret(path: good), lifetime: .seconds(60))
        let random = LinkSigner(secret: AccessConfiguration().linkSecret, lifetime: .seconds(60))
        let path = "/apis/stageflow.dev/v1alpha1/namespaces/a/scanjobs/j/artifacts/report.json"
        let query = QueryParameters(first.query(for: path))
        #expect(second.verify(path: path, expires: query["expires"], signature: query["signature"]) == .valid)
        #expect(random.verify(path: path, expires: query["expires"], signature: query["signature"]) != .valid)
    }

    @Test("token files are validated with errors naming the entry")
    func tokenFileErrors() {
        let cases: [(String, String)] = [
            ("tokens:\n  - {token: short, user: a, namespaces: [x], role: viewer}", "tokens[0].token"),
            ("tokens:\n  - {token: long-enough-token-123, user: a, namespaces: [x], role: root}", "tokens[0].role"),
            ("tokens:\n  - {token: long-enough-token-123, user: a, namespaces: [], role: viewer}", "tokens[0].namespaces"),
            ("tokens:\n  - {token: long-enough-token-123, namespaces: [x], role: viewer}", "tokens[0].user"),
            ("tokens:\n  - {token: long-enough-token-123, user: a, namespaces: [x], role: viewer}\n  - {token: long-enough-token-123, user: b, namespaces: [x], role: viewer}", "tokens[1]"),
            ("users: []", "tokens:"),
        ]
        for (yaml, expected) in cases {
            do {
                _ = try AccessTokens.parse(yaml: yaml)
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }
}
