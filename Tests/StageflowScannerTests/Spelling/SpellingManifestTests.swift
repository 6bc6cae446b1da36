import Foundation
import StageflowAPI
import Testing

@testable import StageflowScanner

@Suite("spelling manifest")
struct SpellingManifestTests {
    @Test(
        "manifests/scanners/spelling.yaml validates, names the scanner, and its defaults decode into its configuration",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"))
    func manifest() throws {
        let (manifest, errors) = try ManifestTool.load("manifests/scanners/spelling.yaml")
        #expect(errors.isEmpty, "\(errors)")
        let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
        #expect(scanner.metadata.name == "spelling" && scanner.spec.entry.builtin == SpellingScanner().id)
        // The scanner itself needs no tab, but the manifest places it with the page scanners that share one
        // browser load of each page.
        #expect(SpellingScanner().requiresBrowser == false)
        #expect(scanner.spec.capabilities?.requiresBrowser == true)
        #expect(scanner.spec.configSchema?["additionalProperties"] == false)
        let properties = try #require(scanner.spec.configSchema?["properties"]?.objectValue)
        #expect(Set(properties.keys) == ["allowList", "language", "maxSuggestions", "minWordLength"])
        let defaults = JSONValue.object(properties.compactMapValues { $0["default"] })
        let config = try defaults.decode(as: SpellingScanner.Configuration.self)
        #expect(config.maxSuggestions == 3 && config.minWordLength == 2)
        #expect(scanner.spec.severityMapping?["notice"] == .minor)
    }
}
