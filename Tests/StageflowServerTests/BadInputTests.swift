import Foundation
import HummingbirdTesting
import StageflowAPI
import StageflowServer
import Testing

/// Every bad request gets the right `Status` and stores nothing.
@Suite("Bad input")
struct BadInputTests {
    /// Runs `attempt` and checks that it failed with `code` and `reason` and that the store did not change.
    func expectRejected(
        _ server: TestServer, code: Int, reason: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ attempt: () async throws -> TestResponse
    ) async throws -> JSONValue {
        let before = try await server.client.send(.get, Paths.scanJobs()).json
        let response = try await attempt()
        #expect(response.status.code == code, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["kind"] == "Status", sourceLocation: sourceLocation)
        #expect(response.json["code"]?.intValue == Int64(code), sourceLocation: sourceLocation)
        #expect(response.json["reason"]?.stringValue == reason, sourceLocation: sourceLocation)
        let after = try await server.client.send(.get, Paths.scanJobs()).json
        #expect(after == before, "the store changed", sourceLocation: sourceLocation)
        return response.json
    }

    @Test("malformed JSON is 400 with the parser's message")
    func malformedJSON() async throws {
        try await withServer { server in
            let status = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), text: "{\"apiVersion\": stageflow}")
            }
            #expect(status["message"]?.stringValue?.contains("not valid JSON") == true)
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), text: "[1, 2]")
            }
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), text: "")
            }
        }
    }

    @Test("malformed YAML in an apply is 400")
    func malformedYAML() async throws {
        try await withServer { server in
            let status = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(
                    .patch, Paths.scanJob("job") + "?fieldManager=test", text: "kind: ScanJob\n  spec: : [",
                    contentType: "application/apply-patch+yaml")
            }
            #expect(status["message"]?.stringValue?.contains("YAML") == true)
        }
    }

    @Test("a body of another apiVersion or kind than the URL's is 400")
    func wrongTypeMeta() async throws {
        try await withServer { server in
            var wrongVersion = scanJob("job")
            wrongVersion["apiVersion"] = "stageflow.dev/v1"
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), json: wrongVersion)
            }
            var wrongKind = scanJob("job")
            wrongKind["kind"] = "ScanSchedule"
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), json: wrongKind)
            }
            var missingKind = scanJob("job")
            missingKind["kind"] = nil
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), json: missingKind)
            }
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanners, json: scanJob("job", namespace: nil))
            }
        }
    }

    @Test("101 URLs, a 2049-character URL and wrong types are one 422 listing every cause")
    func schemaViolations() async throws {
        try await withServer { server in
            var manifest = scanJob("job", urls: (0...100).map { "https://example.com/\($0)" })
            manifest[path: "spec", "deadlines"] = ["scanningSeconds": "soon"]
            manifest[path: "spec", "suspend"] = "yes"
            let long = "https://example.com/" + String(repeating: "a", count: 2049 - 20)
            #expect(long.count == 2049)
            var urls = manifest[path: ["spec", "target", "urls"]]?.arrayValue ?? []
            urls[3] = .string(long)
            manifest[path: "spec", "target", "urls"] = .array(urls)
            let status = try await expectRejected(server, code: 422, reason: "Invalid") {
                try await server.client.send(.post, Paths.scanJobs(), json: manifest)
            }
            let fields = Set((status[path: ["details", "causes"]]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
            #expect(fields.contains("spec.target.urls"))
            #expect(fields.contains("spec.target.urls[3]"))
            #expect(fields.contains("spec.deadlines.scanningSeconds"))
            #expect(fields.contains("spec.suspend"))
            #expect(status[path: ["details", "kind"]] == "ScanJob")
            #expect(status[path: ["details", "name"]] == "job")
        }
    }

    @Test("names that are not DNS-1123 labels are 422")
    func badNames() async throws {
        try await withServer { server in
            for name in ["Upper", "under_score", "-dash", String(repeating: "a", count: 64), "dot.ted"] {
                let status = try await expectRejected(server, code: 422, reason: "Invalid") {
                    try await server.client.send(.post, Paths.scanJobs(), json: scanJob(name))
                }
                let fields = (status[path: ["details", "causes"]]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue }
                #expect(fields.contains("metadata.name"), "\(name)")
            }
            _ = try await expectRejected(server, code: 422, reason: "Invalid") {
                try await server.client.send(.post, Paths.scanJobs(), json: scanJob("ok", labels: ["bad key!": "x"]))
            }
            _ = try await expectRejected(server, code: 422, reason: "Invalid") {
                try await server.client.send(.post, Paths.scanJobs(), json: scanJob("ok", labels: ["key": "bad value!"]))
            }
            var noName = scanJob("x")
            noName[path: "metadata", "name"] = nil
            _ = try await expectRejected(server, code: 422, reason: "Invalid") {
                try await server.client.send(.post, Paths.scanJobs(), json: noName)
            }
        }
    }

    @Test("a body over the limit is 413")
    func oversizedBody() async throws {
        let configuration = APIServerConfiguration(port: 0, maxRequestBodyBytes: 64 * 1024)
        try await withServer(configuration: configuration) { server in
            var manifest = scanJob("big")
            manifest[path: "metadata", "annotations"] = ["padding": .string(String(repeating: "x", count: 100 * 1024))]
            let status = try await expectRejected(server, code: 413, reason: "RequestEntityTooLarge") {
                try await server.client.send(.post, Paths.scanJobs(), json: manifest)
            }
            #expect(status["message"]?.stringValue?.contains("65536") == true)
        }
    }

    @Test("a stale resourceVersion is 409 and stores nothing")
    func staleVersion() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("job"))
            var stale = created
            stale[path: "metadata", "resourceVersion"] = "0"
            stale[path: "spec", "failOn"] = "minor"
            _ = try await expectRejected(server, code: 409, reason: "Conflict") {
                try await server.client.send(.put, Paths.scanJob("job"), json: stale)
            }
            var garbage = created
            garbage[path: "metadata", "resourceVersion"] = "abc"
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.put, Paths.scanJob("job"), json: garbage)
            }
        }
    }

    @Test("unknown fields: Strict is 400, Warn prunes with a Warning header, Ignore prunes silently")
    func unknownFields() async throws {
        try await withServer { server in
            var manifest = scanJob("job")
            manifest[path: "spec", "colour"] = "blue"
            let status = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), json: manifest)
            }
            #expect(status["message"]?.stringValue?.contains("unknown field \"spec.colour\"") == true)

            let warned = try await server.client.send(.post, Paths.scanJobs() + "?fieldValidation=Warn", json: manifest)
            #expect(warned.status == .created)
            #expect(warned.headers[.init("Warning")!] == "299 - \"unknown field \\\"spec.colour\\\"\"")
            #expect(warned.json[path: ["spec", "colour"]] == nil)

            manifest[path: "metadata", "name"] = "job-2"
            let ignored = try await server.client.send(.post, Paths.scanJobs() + "?fieldValidation=Ignore", json: manifest)
            #expect(ignored.status == .created)
            #expect(ignored.headers[.init("Warning")!] == nil)
            let invalidPolicy = try await server.client.send(.post, Paths.scanJobs() + "?fieldValidation=Loose", json: manifest)
            #expect(invalidPolicy.status == .badRequest)
        }
    }

    @Test("resourceVersion on create, name mismatch on update and protobuf bodies are refused")
    func otherRefusals() async throws {
        try await withServer { server in
            var withVersion = scanJob("job")
            withVersion[path: "metadata", "resourceVersion"] = "5"
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.post, Paths.scanJobs(), json: withVersion)
            }
            _ = try await expectRejected(server, code: 415, reason: "UnsupportedMediaType") {
                try await server.client.send(
                    .post, Paths.scanJobs(), json: scanJob("job"), contentType: "application/vnd.kubernetes.protobuf")
            }
            let created = try await server.client.createScanJob(scanJob("job"))
            var renamed = created
            renamed[path: "metadata", "name"] = "other"
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.put, Paths.scanJob("job"), json: renamed)
            }
            var labelsNotStrings = created
            labelsNotStrings[path: "metadata", "labels"] = ["n": 1]
            _ = try await expectRejected(server, code: 400, reason: "BadRequest") {
                try await server.client.send(.put, Paths.scanJob("job"), json: labelsNotStrings)
            }
        }
    }

    @Test("unknown paths are 404 and wrong verbs 405, as Status objects")
    func routing() async throws {
        try await withServer { server in
            for path in ["/apis/stageflow.dev/v1alpha1/namespaces/default/widgets", "/apis/other.dev", "/nothing", "/api/v1/pods"] {
                let response = try await server.client.send(.get, path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.json["kind"] == "Status")
            }
            let put = try await server.client.send(.put, Paths.scanJobs(), json: scanJob("x"))
            #expect(put.status == .methodNotAllowed)
            #expect(put.json["reason"] == "MethodNotAllowed")
            let post = try await server.client.send(.post, "/apis", json: [:])
            #expect(post.status == .methodNotAllowed)
            let crossNamespaceCreate = try await server.client.send(.post, Paths.group + "/scanjobs", json: scanJob("x"))
            #expect(crossNamespaceCreate.status == .methodNotAllowed)
        }
    }
}
