import Foundation
import StageflowObjectStore
import Testing

/// Parsing where the object store is.
@Suite("Object store location")
struct ObjectStoreLocationTests {
    let environment = ["AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"]

    @Test("paths and file:// URLs are directories")
    func directories() throws {
        #expect(try ObjectStoreLocation(parsing: "/var/lib/stageflow/objects") == .filesystem(root: URL(fileURLWithPath: "/var/lib/stageflow/objects")))
        #expect(
            try ObjectStoreLocation(parsing: "data/objects", currentDirectory: "/srv/stageflow")
                == .filesystem(root: URL(fileURLWithPath: "/srv/stageflow/data/objects")))
        #expect(
            try ObjectStoreLocation(parsing: "./data/../objects", currentDirectory: "/srv")
                == .filesystem(root: URL(fileURLWithPath: "/srv/objects")))
        #expect(try ObjectStoreLocation(parsing: "file:///tmp/objects%20dir") == .filesystem(root: URL(fileURLWithPath: "/tmp/objects dir")))
        #expect(try ObjectStoreLocation(parsing: "file://localhost/tmp/o") == .filesystem(root: URL(fileURLWithPath: "/tmp/o")))
    }

    @Test("s3:// URLs are buckets")
    func buckets() throws {
        let location = try ObjectStoreLocation(
            parsing: "s3://artifacts?endpoint=http://127.0.0.1:9000&region=us-east-1", environment: environment)
        guard case .s3(let configuration) = location else {
            Issue.record("expected an S3 location, got \(location)")
            return
        }
        #expect(configuration.bucket == "artifacts")
        #expect(configuration.endpoint.absoluteString == "http://127.0.0.1:9000")
        #expect(configuration.credentials.accessKeyID == "AKIAEXAMPLE")
        #expect(!location.description.contains("secret"))
        #expect(try location.makeStore() is S3ObjectStore)
    }

    @Test("anything else is refused with the accepted forms", arguments: ["gs://bucket", "http://minio:9000/bucket", "", "   ", "file://otherhost/x"])
    func refused(text: String) {
        let error = #expect(throws: ObjectStoreError.self) { try ObjectStoreLocation(parsing: text, environment: environment) }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.description.contains("object store location") == true)
    }

    @Test("an unknown scheme names it")
    func unknownScheme() {
        let error = #expect(throws: ObjectStoreError.self) { try ObjectStoreLocation(parsing: "gs://bucket") }
        #expect(error?.description.contains("unsupported scheme gs://") == true)
        #expect(error?.description.contains("s3://") == true)
    }

    @Test("makeStore opens a directory store, creating the directory")
    func makeFilesystemStore() async throws {
        let root = try temporaryDirectory("location").appendingPathComponent("objects")
        let store = try ObjectStoreLocation(parsing: root.path).makeStore()
        try await store.put("a.txt", text: "a")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("a.txt").path))
    }
}
