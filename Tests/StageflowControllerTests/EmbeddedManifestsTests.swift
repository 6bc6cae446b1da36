import Foundation
import StageflowController
import Testing

@Suite("Built-in scanner manifests compiled into the binary")
struct EmbeddedManifestsTests {
    /// `Sources/StageflowController/Resources/Scanners`, which `manifests/scanners` links to.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/StageflowController/Resources/Scanners").standardizedFileURL

    @Test("every manifest file is compiled in, byte for byte, and manifests/scanners is the same directory")
    func everyFileEmbedded() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ScannerRegistry.embeddedManifestNames.sorted())
        let embedded = try ScannerRegistry.embeddedBuiltins()
        for file in files {
            let entry = try #require(embedded.first { $0.source == "builtin:\(file)" })
            let fromFile = try ScannerRegistry.load(Self.directory.appendingPathComponent(file))
            #expect(entry.scanner == fromFile.scanner, "\(file)")
        }
        let linked = Self.directory.appendingPathComponent("../../../../manifests/scanners").standardizedFileURL
        #expect(linked.resolvingSymlinksInPath().path == Self.directory.resolvingSymlinksInPath().path)
    }

    @Test("the compiled-in set holds the seven built-ins, the lighthouse plugin and the vision agent, each valid")
    func builtinsValid() throws {
        let ids = try ScannerRegistry.embeddedBuiltins().compactMap { $0.scanner[path: ["spec", "id"]]?.stringValue }
        #expect(
            Set(ids) == [
                "axe", "link-checker", "open-graph", "performance", "security-headers", "seo", "spelling", "lighthouse", "ai-navigator",
            ])
    }

    @Test("a plugin directory overrides a compiled-in manifest by id and adds its own")
    func pluginOverrides() throws {
        let plugins = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: plugins) }
        try ScannerRegistryTests.manifest(id: "seo", version: "9.9.9").write(
            to: plugins.appendingPathComponent("seo.yaml"), atomically: true, encoding: .utf8)
        try ScannerRegistryTests.manifest(id: "extra").write(
            to: plugins.appendingPathComponent("extra.yaml"), atomically: true, encoding: .utf8)
        let registry = try ScannerRegistry(builtins: try ScannerRegistry.embeddedBuiltins(), directories: [plugins])
        let seo = try #require(registry.entries.first { $0.scanner[path: ["spec", "id"]] == "seo" })
        #expect(seo.scanner[path: ["spec", "version"]] == "9.9.9")
        #expect(seo.source == plugins.appendingPathComponent("seo.yaml").path)
        #expect(registry.entries.count == ScannerRegistry.embeddedManifestNames.count + 1)
    }

    @Test("the plugin search path: operator directories, /plugins, ~/.stageflow/plugins, then PLUGIN_PATHS")
    func pluginSearchPath() {
        let directories = ScannerRegistry.pluginDirectories(
            [URL(fileURLWithPath: "/opt/a")], environment: ["PLUGIN_PATHS": "/x:/y"]
        ).map(\.path)
        #expect(directories == ["/opt/a", "/plugins", NSHomeDirectory() + "/.stageflow/plugins", "/x", "/y"])
    }
}
