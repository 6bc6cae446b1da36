import Crypto
import Foundation
import StageflowHTTP
import StageflowObjectStore
import Testing

/// The object store contract, run against the filesystem, memory and S3 (moto) stores.
@Suite("Object store conformance")
struct ObjectStoreConformanceTests {
    @Test("put, get and head round-trip bytes, size, etag and content type", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let data = Data(#"{"score": 97}"#.utf8)
        let before = Date().addingTimeInterval(-120)
        try await store.put("artifacts/job-1/report.json", data: data, contentType: "application/json")

        #expect(try await store.get("artifacts/job-1/report.json") == data)
        let info = try #require(try await store.head("artifacts/job-1/report.json"))
        #expect(info.key == "artifacts/job-1/report.json")
        #expect(info.size == Int64(data.count))
        #expect(info.etag?.isEmpty == false)
        #expect(info.etag?.hasPrefix("\"") == false)
        #expect(info.contentType == "application/json")
        #expect(try #require(info.lastModified) > before)
        #expect(try await store.exists("artifacts/job-1/report.json"))
    }

    @Test("keys with spaces, reserved characters and UTF-8 survive the round trip", arguments: StoreKind.allCases)
    func unusualKeys(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let keys = ["odd/a b+c=d&e.txt", "odd/répertoire/ünïcode ✓.txt", "odd/100%25 literal?.txt", "odd/~tilde;semi,comma"]
        for key in keys { try await store.put(key, text: key) }
        for key in keys { #expect(try await store.get(key) == Data(key.utf8)) }
        #expect(try await store.list(prefix: "odd/").map(\.key).sorted() == keys.sorted())
        try await store.deletePrefix("odd/")
        #expect(try await store.list(prefix: "odd/").isEmpty)
    }

    @Test("overwriting replaces the content and the etag", arguments: StoreKind.allCases)
    func overwrite(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        try await store.put("a/object.txt", text: "first version")
        let first = try #require(try await store.head("a/object.txt"))
        try await store.put("a/object.txt", text: "second, longer version")
        #expect(try await store.get("a/object.txt") == Data("second, longer version".utf8))
        let second = try #require(try await store.head("a/object.txt"))
        #expect(second.size == 22)
        #expect(second.etag != first.etag)
        #expect(try await store.list(prefix: "a/").count == 1)
    }

    @Test("a missing key is notFound for get, nil for head, and no error for delete", arguments: StoreKind.allCases)
    func missingKey(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let error = await #expect(throws: ObjectStoreError.self) { try await store.get("artifacts/none/report.json") }
        #expect(error?.kind == .notFound)
        #expect(error?.key == "artifacts/none/report.json")
        #expect(error?.description.contains("artifacts/none/report.json") == true)

        let destination = try temporaryDirectory("download").appendingPathComponent("report.json")
        let downloadError = await #expect(throws: ObjectStoreError.self) {
            try await store.get("artifacts/none/report.json", to: destination)
        }
        #expect(downloadError?.kind == .notFound)
        #expect(!FileManager.default.fileExists(atPath: destination.path))

        #expect(try await store.head("artifacts/none/report.json") == nil)
        try await store.delete("artifacts/none/report.json")
    }

    @Test("list matches plain string prefixes and sorts by key", arguments: StoreKind.allCases)
    func listPrefixes(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        for key in ["p/b/c.txt", "p/a.txt", "p/bc.txt", "q/x.txt", "p/b/d/e.txt"] {
            try await store.put(key, text: key)
        }
        #expect(try await store.list(prefix: "p/").map(\.key) == ["p/a.txt", "p/b/c.txt", "p/b/d/e.txt", "p/bc.txt"])
        #expect(try await store.list(prefix: "p/b").map(\.key) == ["p/b/c.txt", "p/b/d/e.txt", "p/bc.txt"])
        #expect(try await store.list(prefix: "p/b/").map(\.key) == ["p/b/c.txt", "p/b/d/e.txt"])
        #expect(try await store.list(prefix: "").count == 5)
        #expect(try await store.list(prefix: "nothing/").isEmpty)
        #expect(try await store.list(prefix: "p/a.txt").map(\.size) == [7])
    }

    @Test("list follows pagination past 1000 keys, and deletePrefix removes them all", arguments: StoreKind.allCases)
    func pagination(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let keys = (0..<1_150).map { String(format: "many/%02d/object-%04d.json", $0 % 7, $0) }
        try await concurrently(keys) { key in try await store.put(key, text: key, contentType: "application/json") }
        try await store.put("manyother.json", text: "keep")

        let listed = try await store.list(prefix: "many/")
        #expect(listed.count == keys.count)
        #expect(Set(listed.map(\.key)) == Set(keys))
        #expect(listed.map(\.key) == listed.map(\.key).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })

        try await store.deletePrefix("many/")
        #expect(try await store.list(prefix: "many/").isEmpty)
        #expect(try await store.get("manyother.json") == Data("keep".utf8))
    }

    @Test("delete and deletePrefix remove only what they name", arguments: StoreKind.allCases)
    func deletion(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        for key in ["j/1/a.txt", "j/1/b/c.txt", "j/10/a.txt", "j/2/a.txt"] { try await store.put(key, text: key) }

        try await store.delete("j/1/a.txt")
        #expect(try await store.head("j/1/a.txt") == nil)
        #expect(try await store.list(prefix: "j/").count == 3)

        try await store.deletePrefix("j/1/")
        #expect(try await store.list(prefix: "j/").map(\.key) == ["j/10/a.txt", "j/2/a.txt"])

        try await store.deletePrefix("j/1")
        #expect(try await store.list(prefix: "j/").map(\.key) == ["j/2/a.txt"])

        let error = await #expect(throws: ObjectStoreError.self) { try await store.deletePrefix("") }
        #expect(error?.kind == .invalidKey)
        #expect(try await store.list(prefix: "j/").count == 1)
    }

    @Test("hostile keys are rejected by every operation, naming the key", arguments: StoreKind.allCases)
    func hostileKeys(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let hostile = [
            "", "/etc/passwd", "../outside", "a/../../b", "a//b", "a/", "./a", "a/./b", "a\\b", "..\\win",
            "nul\u{0}byte", "line\nbreak", "a/.stageflow-partial-x",
        ]
        for key in hostile {
            let putError = await #expect(throws: ObjectStoreError.self, "put \(String(reflecting: key))") {
                try await store.put(key, data: Data("x".utf8), contentType: nil)
            }
            #expect(putError?.kind == .invalidKey)
            #expect(putError?.key == key)
            #expect(putError?.description.contains(String(reflecting: key)) == true)
            await #expect(throws: ObjectStoreError.self) { try await store.get(key) }
            await #expect(throws: ObjectStoreError.self) { try await store.head(key) }
            await #expect(throws: ObjectStoreError.self) { try await store.delete(key) }
            await #expect(throws: ObjectStoreError.self) { try await store.presignedGetURL(key, expiresInSeconds: 60) }
            await #expect(throws: ObjectStoreError.self) {
                try await store.put(key, chunks: PatternChunks(count: 10, chunkSize: 5), contentType: nil)
            }
        }
        for prefix in ["../", "/abs", "a//", "a/../"] {
            await #expect(throws: ObjectStoreError.self, "prefix \(prefix)") { try await store.list(prefix: prefix) }
            await #expect(throws: ObjectStoreError.self, "prefix \(prefix)") { try await store.deletePrefix(prefix) }
        }
        #expect(try await store.list(prefix: "").isEmpty)
    }

    @Test("a 40 MiB object streams in and out intact", arguments: StoreKind.allCases)
    func largeStreamedObject(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let source = PatternChunks(count: 40 << 20, chunkSize: 700 * 1024 + 13)
        let expected = try await source.sha256()

        try await store.put("staging/job-big/site.zip", chunks: source, contentType: "application/zip")
        let info = try #require(try await store.head("staging/job-big/site.zip"))
        #expect(info.size == 40 << 20)
        #expect(info.contentType == "application/zip")
        if kind == .s3 {
            #expect(info.etag?.hasSuffix("-8") == true, "40 MiB in 5 MiB parts is an 8-part upload: \(info.etag ?? "")")
        }

        let destination = try temporaryDirectory("download").appendingPathComponent("nested/site.zip")
        try await store.get("staging/job-big/site.zip", to: destination)
        #expect(try await sha256(ofFile: destination) == expected)
        #expect(SHA256.hash(data: try await store.get("staging/job-big/site.zip")) == expected)
    }

    @Test("put from a file streams it", arguments: StoreKind.allCases)
    func putFromFile(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let file = try temporaryDirectory("upload").appendingPathComponent("report.html")
        let html = String(repeating: "<p>finding</p>\n", count: 50_000)
        try Data(html.utf8).write(to: file)
        try await store.put("artifacts/job-2/report.html", contentsOf: file, contentType: "text/html", chunkSize: 64 * 1024)
        #expect(try await store.get("artifacts/job-2/report.html") == Data(html.utf8))
        #expect(try await store.head("artifacts/job-2/report.html")?.contentType == "text/html")
    }

    @Test("a write that fails midway leaves the previous object, or none", arguments: StoreKind.allCases)
    func failedWriteIsAtomic(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        try await store.put("atomic/existing.bin", text: "old content")
        for failAfter in [1 << 20, 12 << 20] {
            let failing = PatternChunks(count: 20 << 20, chunkSize: 1 << 20, failAfter: failAfter)
            await #expect(throws: InjectedFailure.self) {
                try await store.put("atomic/existing.bin", chunks: failing, contentType: nil)
            }
            await #expect(throws: InjectedFailure.self) {
                try await store.put("atomic/new.bin", chunks: failing, contentType: nil)
            }
        }
        #expect(try await store.get("atomic/existing.bin") == Data("old content".utf8))
        #expect(try await store.head("atomic/new.bin") == nil)
        #expect(try await store.list(prefix: "atomic/").map(\.key) == ["atomic/existing.bin"])
    }

    @Test("get to a file replaces an existing file", arguments: StoreKind.allCases)
    func downloadReplaces(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        try await store.put("artifacts/job-3/provenance.json", text: "{}", contentType: "application/json")
        let destination = try temporaryDirectory("download").appendingPathComponent("provenance.json")
        try Data("stale and longer".utf8).write(to: destination)
        try await store.get("artifacts/job-3/provenance.json", to: destination)
        #expect(try Data(contentsOf: destination) == Data("{}".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: destination.deletingLastPathComponent().path)
        #expect(leftovers == ["provenance.json"])
    }

    @Test("presigned GET links work without credentials on S3 and are nil elsewhere", arguments: StoreKind.allCases)
    func presignedGet(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let key = "artifacts/job-4/scanner-a/screenshots/page 1.png"
        let data = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try await store.put(key, data: data, contentType: "image/png")
        let url = try await store.presignedGetURL(key, expiresInSeconds: 300)
        guard kind == .s3 else {
            #expect(url == nil)
            return
        }
        let link = try #require(url)
        #expect(link.query?.contains("X-Amz-Signature=") == true)
        let response = try await HTTPClient().send(HTTPRequest(url: link))
        #expect(response.status == 200)
        #expect(response.body == data)
        #expect(response.headers["Content-Type"] == "image/png")
    }
}
