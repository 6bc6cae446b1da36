import Foundation
import StageflowAPI
import Testing

@testable import StageflowScanner

@Suite("lighthouse manifest")
struct LighthouseManifestTests {
    @Test(
        "manifests/scanners/lighthouse.yaml validates and runs the plugin script, relative to the checkout",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"))
    func manifest() throws {
        let (manifest, errors) = try ManifestTool.load("manifests/scanners/lighthouse.yaml")
        #expect(errors.isEmpty, "\(errors)")
        let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
        #expect(scanner.metadata.name == "lighthouse")
        let command = try #require(scanner.spec.entry.command)
        #expect(command == ["python3", "manifests/plugins/lighthouse/lighthouse.py"])
        #expect(TestPaths.exists(TestPaths.root.appendingPathComponent(command[1])))
        // Every raw severity the script writes is mapped.
        #expect(Set(scanner.spec.severityMapping?.keys.map { $0 } ?? []) == ["error", "warning"])
    }
}
