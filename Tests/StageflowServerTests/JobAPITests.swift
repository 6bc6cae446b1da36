import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
import StageflowObjectStore
import StageflowServer
import Testing

/// The original job API over a memory object store: URL and ZIP jobs, reads by uid, upload limits and errors.
@Suite("Job API")
struct JobAPITests {
    static func configuration(_ objects: MemoryObjectStore, uploadLimit: Int = 100 * 1024 * 1024) -> APIServerConfiguration {
        APIServerConfiguration(port: 0, artifacts: ObjectStoreArtifactReader(objects: objects), maxArchiveUploadBytes: uploadLimit)
    }

    static let boundary = "stageflow-test-boundary"

    /// A multipart body of `fields` in order, then the file (when given).
    static func form(_ fields: [(String, String)], file: Data?, fileName: String = "site.zip") -> ByteBuffer {
        var buffer = ByteBuffer()
        for (name, value) in fields {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let file {
            buffer.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n"
                    + "Content-Type: application/zip\r\n\r\n")
            buffer.writeBytes(file)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    static func upload(_ client: any TestClientProtocol, _ body: ByteBuffer, contentType: String? = nil) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/jobs/zip", method: .post,
            headers: [.contentType: contentType ?? "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    /// A small ZIP's bytes (stored, one entry); the server does not unpack it.
    static let zip = Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: UInt8(0x41), count: 5000) + [0x50, 0x4B, 0x05, 0x06])

    @Test("a URL job round trip: create, read by id, results, report link, scanners")
    func urlJob() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: Self.configuration(objects)) { server in
            let created = try await server.client.send(
                .post, "/api/v1/jobs/urls",
                json: ["urls": ["https://example.com/"], "scanners": ["axe", "seo"], "options": ["axe": ["tags": ["wcag2a"]]]])
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"]?.stringValue)
            #expect(created.json["namespace"] == "default")
            #expect(created.json["statusUrl"]?.stringValue == "/api/v1/jobs/\(id)")
            let name = try #require(created.json["name"]?.stringValue)
            let job = try await server.client.send(.get, Paths.scanJob(name)).json
            #expect(job[path: ["metadata", "uid"]]?.stringValue == id)
            #expect(job[path: ["spec", "scanners"]]?.arrayValue?.count == 2)

            let read = try await server.client.send(.get, "/api/v1/jobs/\(id)")
            #expect(read.status == .ok)
            #expect(read.json["id"]?.stringValue == id)
            #expect(read.json["phase"] == "Pending")

            let results = try await server.client.send(.get, "/api/v1/jobs/\(id)/results")
            #expect(results.status == .ok, "\(results.text)")
            let report = try await server.client.send(.get, "/api/v1/jobs/\(id)/report")
            #expect(report.status == .notFound)
            #expect(report.json["message"]?.stringValue?.contains("no JSON report yet") == true, "\(report.text)")
            let diff = try await server.client.send(.get, "/api/v1/jobs/\(id)/diff")
            #expect(diff.status == .notFound)
            #expect(try await server.client.send(.get, "/api/v1/jobs/no-such-id").status == .notFound)

            let scanners = try await server.client.send(.get, "/api/v1/scanners")
            #expect(scanners.json["scanners"]?.arrayValue?.count == 2, "\(scanners.text)")

            let tooMany = try await server.client.send(
                .post, "/api/v1/jobs/urls",
                json: ["urls": .array((0...100).map { .string("https://example.com/\($0)") }), "scanners": ["axe"]])
            #expect(tooMany.status == .unprocessableContent)
            let unknown = try await server.client.send(
                .post, "/api/v1/jobs/urls", json: ["urls": ["https://example.com/"], "scanners": ["nope"]])
            #expect(unknown.status == .unprocessableContent, "\(unknown.text)")
            let blocked = try await server.client.send(
                .post, "/api/v1/jobs/urls", json: ["urls": ["http://169.254.169.254/"], "scanners": ["axe"]])
            #expect(blocked.status == .unprocessableContent)
            #expect(blocked.json["message"]?.stringValue?.contains("alwaysBlockedAddress") == true, "\(blocked.text)")
            #expect(try await server.client.scanJobNames().count == 1)
        }
    }

    @Test("a ZIP upload is streamed to the staging key and the job created with the archive")
    func zipJob() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: Self.configuration(objects)) { server in
            let response = try await Self.upload(server.client, Self.form([("scanners", "axe, seo")], file: Self.zip))
            #expect(response.status == .created, "\(response.text)")
            let id = try #require(response.json["id"]?.stringValue)
            let name = try #require(response.json["name"]?.stringValue)
            let job = try await server.client.send(.get, Paths.scanJob(name)).json
            #expect(job[path: ["metadata", "uid"]]?.stringValue == id)
            #expect(job[path: ["spec", "target", "archive", "objectKey"]]?.stringValue == "staging/\(id)/site.zip")
            #expect(job[path: ["spec", "target", "archive", "sizeBytes"]]?.intValue == Int64(Self.zip.count))
            #expect(try await objects.get("staging/\(id)/site.zip") == Self.zip)
        }
    }

    @Test("refusals leave neither job nor staged object: unknown scanner, malformed forms, too large")
    func zipRefusals() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: Self.configuration(objects, uploadLimit: 64 * 1024)) { server in
            let unknown = try await Self.upload(server.client, Self.form([("scanners", "nope")], file: Self.zip))
            #expect(unknown.status == .unprocessableContent, "\(unknown.text)")

            var truncated = Self.form([("scanners", "axe")], file: Self.zip)
            truncated.moveWriterIndex(to: truncated.writerIndex - 40)
            let cases: [(ByteBuffer, String)] = [
                (Self.form([("scanners", "axe")], file: nil), "no \"file\" part"),
                (Self.form([], file: Self.zip), "\"scanners\" field must come before"),
                (Self.form([("scanners", "axe"), ("colour", "blue")], file: Self.zip), "unknown form field"),
                (ByteBuffer(string: "--\(Self.boundary)\r\nbroken header line without colon\r\n\r\nx\r\n--\(Self.boundary)--\r\n"), "not well formed"),
                (truncated, "closing boundary"),
            ]
            for (body, expected) in cases {
                let response = try await Self.upload(server.client, body)
                #expect(response.status == .badRequest, "\(expected): \(response.text)")
                #expect(response.json["message"]?.stringValue?.contains(expected) == true, "\(expected): \(response.text)")
            }
            let noBoundary = try await Self.upload(server.client, Self.form([], file: nil), contentType: "multipart/form-data")
            #expect(noBoundary.status == .badRequest)

            let large = Data(repeating: 0x41, count: 100 * 1024)
            let tooLarge = try await Self.upload(server.client, Self.form([("scanners", "axe")], file: large))
            #expect(tooLarge.status == .contentTooLarge, "\(tooLarge.text)")

            #expect(try await server.client.scanJobNames().isEmpty)
            #expect(try await objects.list(prefix: "").isEmpty)
        }
    }

    @Test("a body over 100 MiB gets 413 and stores nothing")
    func over100MiB() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: Self.configuration(objects)) { server in
            let file = Data(repeating: 0x41, count: 100 * 1024 * 1024 + 1)
            let response = try await Self.upload(server.client, Self.form([("scanners", "axe")], file: file))
            #expect(response.status == .contentTooLarge, "\(response.text)")
            #expect(try await server.client.scanJobNames().isEmpty)
            #expect(try await objects.list(prefix: "").isEmpty)
        }
    }
}
