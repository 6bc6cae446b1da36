import Foundation
import StageflowObjectStore
import Testing

/// What only the directory store does: files in place, temporary files, directories pruned, key conflicts.
@Suite("Filesystem object store")
struct FilesystemObjectStoreTests {
    @Test("objects are files under the root, and no temporary file outlives a failed write")
    func filesInPlace() async throws {
        let root = try temporaryDirectory("fs")
        let store = try FilesystemObjectStore(root: root)
        try await store.put("artifacts/job-1/report.json", text: "{}", contentType: "application/json")
        #expect(try Data(contentsOf: root.appendingPathComponent("artifacts/job-1/report.json")) == Data("{}".utf8))

        await #expect(throws: InjectedFailure.self) {
            try await store.put(
                "artifacts/job-1/big.bin", chunks: PatternChunks(count: 4 << 20, chunkSize: 1 << 20, failAfter: 2 << 20),
                contentType: nil)
        }
        #expect(try allFiles(under: root) == ["artifacts/job-1/report.json"])
    }

    @Test("concurrent writers to one key leave one complete version")
    func concurrentWriters() async throws {
        let root = try temporaryDirectory("fs")
        let store = try FilesystemObjectStore(root: root)
        let versions = (0..<24).map { Data(String(repeating: String(format: "%02d", $0), count: 40_000).utf8) }
        try await concurrently(Array(versions.indices), width: 8) { index in
            try await store.put("shared/object.txt", data: versions[index], contentType: nil)
        }
        #expect(versions.contains(try await store.get("shared/object.txt")))
        #expect(try allFiles(under: root) == ["shared/object.txt"])
    }

    @Test("a key cannot be both an object and a folder of objects")
    func fileDirectoryConflict() async throws {
        let store = try FilesystemObjectStore(root: try temporaryDirectory("fs"))
        try await store.put("a/b", text: "object")
        let below = await #expect(throws: ObjectStoreError.self) { try await store.put("a/b/c", text: "below") }
        #expect(below?.kind == .conflict)
        #expect(below?.key == "a/b/c")

        try await store.put("x/y/z", text: "object")
        let above = await #expect(throws: ObjectStoreError.self) { try await store.put("x/y", text: "above") }
        #expect(above?.kind == .conflict)
        #expect(try await store.get("x/y/z") == Data("object".utf8))
        #expect(try await store.head("x/y") == nil)
        await #expect(throws: ObjectStoreError.self) { try await store.get("x/y") }
    }

    @Test("content types come from the extension")
    func contentTypes() async throws {
        let store = try FilesystemObjectStore(root: try temporaryDirectory("fs"))
        let expectations = [
            "r/report.html": "text/html", "r/shot.png": "image/png", "r/site.ZIP": "application/zip",
            "r/results.json": "application/json", "r/noextension": "application/octet-stream",
            "r/.hidden": "application/octet-stream",
        ]
        for key in expectations.keys { try await store.put(key, text: "x", contentType: "text/plain") }
        for (key, type) in expectations {
            #expect(try await store.head(key)?.contentType == type, "\(key)")
        }
    }

    @Test("deleting removes directories left empty, up to the root")
    func pruning() async throws {
        let root = try temporaryDirectory("fs")
        let store = try FilesystemObjectStore(root: root)
        try await store.put("artifacts/job-1/axe/screenshots/p1.png", text: "png")
        try await store.put("artifacts/job-1/report.json", text: "{}")
        try await store.put("staging/job-1/site.zip", text: "zip")

        try await store.delete("staging/job-1/site.zip")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("staging").path))

        try await store.deletePrefix("artifacts/job-1/")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: root.path))
    }

    @Test("the root is created, and a root that is a file is an error naming it")
    func root() async throws {
        let parent = try temporaryDirectory("fs")
        let root = parent.appendingPathComponent("deep/objects")
        _ = try FilesystemObjectStore(root: root)
        #expect(FileManager.default.fileExists(atPath: root.path))

        let file = parent.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: ObjectStoreError.self) { try FilesystemObjectStore(root: file) }
        #expect(error?.kind == .io)
        #expect(error?.description.contains(file.path) == true)
    }

    /// Every regular file under `root`, as relative paths, sorted.
    private func allFiles(under root: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if exists, !isDirectory.boolValue { files.append(path) }
        }
        return files.sorted()
    }
}
