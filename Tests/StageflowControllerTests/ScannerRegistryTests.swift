import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

@Suite("Scanner registry")
struct ScannerRegistryTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-manifests-\(UUID().uuidString)")

    func write(_ name: String, _ text: String, in folder: String = "builtin") throws -> URL {
        let target = directory.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let file = target.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func manifest(id: String, version: String = "1.0.0", entry: String = "builtin: \"x\"", extra: String = "") -> String {
        """
        apiVersion: stageflow.dev/v1alpha1
        kind: Scanner
        metadata:
          name: \(id)
        spec:
          id: \(id)
          version: "\(version)"
          entry:
            \(entry)
          capabilities:
            categories: [security]
            maxConcurrency: 4
        \(extra)
        """
    }

    @Test("valid manifests load; a later directory overrides a scanner by id")
    func loads() throws {
        _ = try write("a.yaml", Self.manifest(id: "alpha"))
        _ = try write("b.yaml", Self.manifest(id: "beta"))
        _ = try write("alpha.yaml", Self.manifest(id: "alpha", version: "2.0.0"), in: "plugins")
        let registry = try ScannerRegistry(directories: [
            directory.appendingPathComponent("builtin"), directory.appendingPathComponent("missing"),
            directory.appendingPathComponent("plugins"),
        ])
        #expect(registry.entries.map { $0.scanner[path: ["spec", "id"]]?.stringValue } == ["alpha", "beta"])
        #expect(registry.entries.first?.scanner[path: ["spec", "version"]] == "2.0.0")
    }

    @Test(
        "an invalid manifest names its file and the JSON pointer of the fault",
        arguments: [
            (Self.manifest(id: "Bad_Id"), "/metadata/name"),
            (Self.manifest(id: "okid", version: "one"), "/spec/version"),
            (Self.manifest(id: "okid", entry: "command: []"), "/spec/entry/command"),
            (Self.manifest(id: "okid", extra: "  surprise: true"), "/spec/surprise"),
            (Self.manifest(id: "okid", extra: "  requirements: {memoryMiB: \"lots\"}"), "/spec/requirements/memoryMiB"),
            (Self.manifest(id: "okid", extra: "  severityMapping: {high: severe}"), "/spec/severityMapping/high"),
            ("apiVersion: stageflow.dev/v1alpha1\nkind: Scanner\nmetadata: {name: okid}\nspec: {id: okid, version: 1.0.0}", "/spec/entry"),
        ])
    func invalid(text: String, pointer: String) throws {
        let file = try write("bad.yaml", text)
        let error = #expect(throws: ManifestError.self) { _ = try ScannerRegistry(directories: [file.deletingLastPathComponent()]) }
        #expect(error?.file == file.path)
        #expect(error?.description.contains(pointer) == true, "\(error?.description ?? "")")
    }

    @Test("malformed YAML is reported with the file")
    func malformed() throws {
        let file = try write("broken.yaml", "spec: [unclosed")
        let error = #expect(throws: ManifestError.self) { _ = try ScannerRegistry(directories: [file.deletingLastPathComponent()]) }
        #expect(error?.description.contains("broken.yaml") == true)
    }

    @Test("published manifests become Scanner resources; republishing changes nothing")
    func publish() async throws {
        _ = try write("a.yaml", Self.manifest(id: "alpha"))
        let registry = try ScannerRegistry(directories: [directory.appendingPathComponent("builtin")])
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil))
        try await store.start()
        let client = StoreResourceClient(store: store)
        try await registry.publish(to: client, logger: Logger(label: "test"))
        let first = try await store.get(.scanner, namespace: nil, name: "alpha")
        try await registry.publish(to: client, logger: Logger(label: "test"))
        let second = try await store.get(.scanner, namespace: nil, name: "alpha")
        #expect(first == second)
        #expect(first[path: ["spec", "capabilities", "maxConcurrency"]]?.intValue == 4)
        await store.shutdown()
    }
}
