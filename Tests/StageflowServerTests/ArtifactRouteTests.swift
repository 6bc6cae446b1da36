import Foundation
import HummingbirdTesting
import StageflowAPI
import StageflowObjectStore
import StageflowServer
import Testing

/// The `report` and `artifacts/{path…}` subresources of ScanJobs, over a memory object store.
@Suite("Report and artifact routes")
struct ArtifactRouteTests {
    static func configuration(_ objects: MemoryObjectStore) -> APIServerConfiguration {
        APIServerConfiguration(port: 0, artifacts: ObjectStoreArtifactReader(objects: objects))
    }

    /// Creates a job and marks its report as written, as the controller does; returns its uid.
    static func jobWithReport(_ server: TestServer, _ objects: MemoryObjectStore, name: String = "nightly") async throws -> String {
        let created = try await server.client.createScanJob(scanJob(name, scanners: ["axe"]))
        let uid = try #require(created[path: ["metadata", "uid"]]?.stringValue)
        var status = created
        status["status"] = [
            "phase": "Done",
            "reportRef": [
                "jsonKey": .string("artifacts/\(uid)/report.json"), "htmlKey": .string("artifacts/\(uid)/report.html"),
            ],
        ]
        let written = try await server.client.send(.put, Paths.scanJob(name) + "/status", json: status)
        #expect(written.status == .ok, "\(written.text)")
        try await objects.put("artifacts/\(uid)/report.json", text: "{\"version\":\"2.0.0\"}\n", contentType: "application/json")
        return uid
    }

    @Test("without an object store the routes answer 503 saying so")
    func noObjectStore() async throws {
        try await withServer { server in
            _ = try await server.client.createScanJob(scanJob("nightly"))
            for path in ["/report", "/artifacts/report.html"] {
                let response = try await server.client.send(.get, Paths.scanJob("nightly") + path)
                #expect(response.status == .serviceUnavailable)
                #expect(response.json["kind"] == "Status")
                #expect(response.json["message"]?.stringValue?.contains("no object store is configured") == true, "\(response.text)")
            }
        }
    }

    @Test("the report is served once the job has one; before, a 404 says there is none yet")
    func report() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: Self.configuration(objects)) { server in
            _ = try await server.client.createScanJob(scanJob("pending"))
            let early = try await server.client.send(.get, Paths.scanJob("pending") + "/report")
            #expect(early.status == .notFound)
            #expect(early.json["message"]?.stringValue?.contains("has no report yet") == true, "\(early.text)")

            _ = try await Self.jobWithReport(server, objects)
            let response = try await server.client.send(.get, Paths.scanJob("nightly") + "/report")
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == "{\"version\":\"2.0.0\"}\n")

            let missing = try await server.client.send(.get, Paths.scanJob("absent") + "/report")
            #expect(missing.status == .notFound)
            #expect(missing.json["reason"] == "NotFound")

            let posted = try await server.client.send(.post, Paths.scanJob("nightly") + "/report", json: [:])
            #expect(posted.status == .methodNotAllowed)
        }
    }

    @Test("artifacts are served with their content type; paths cannot leave the job's folder")
    func artifacts() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: Self.configuration(objects)) { server in
            let uid = try await Self.jobWithReport(server, objects)
            let other = try await Self.jobWithReport(server, objects, name: "other")
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
            try await objects.put("artifacts/\(uid)/axe/screenshots/home.png", data: png, contentType: "image/png")
            try await objects.put("staging/\(uid)/site.zip", data: Data("zip".utf8), contentType: "application/zip")

            let image = try await server.client.send(.get, Paths.scanJob("nightly") + "/artifacts/axe/screenshots/home.png")
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/png")
            #expect(image.headers[.xContentTypeOptions] == "nosniff")
            #expect(Data(image.body.readableBytesView) == png)

            let absent = try await server.client.send(.get, Paths.scanJob("nightly") + "/artifacts/axe/none.png")
            #expect(absent.status == .notFound)
            #expect(absent.json["message"]?.stringValue?.contains("has no artifact \"axe/none.png\"") == true, "\(absent.text)")

            for escape in [
                "/artifacts/%2E%2E/%2E%2E/staging/\(uid)/site.zip", "/artifacts/axe/..%2F..%2F\(other)%2Freport.json",
                "/artifacts/a%00b", "/artifacts/%2Fetc%2Fpasswd",
            ] {
                let response = try await server.client.send(.get, Paths.scanJob("nightly") + escape)
                #expect(response.status == .badRequest, "\(escape): \(response.status) \(response.text)")
                #expect(response.json["kind"] == "Status", "\(escape)")
            }
        }
    }
}
