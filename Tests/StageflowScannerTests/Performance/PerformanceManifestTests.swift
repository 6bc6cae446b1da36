import Foundation
import StageflowAPI
import Testing

@testable import StageflowScanner

@Suite("performance manifest")
struct PerformanceManifestTests {
    @Test(
        "manifests/scanners/performance.yaml validates, requires a browser, and its defaults decode into its configuration",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"))
    func manifest() throws {
        let (manifest, errors) = try ManifestTool.load("manifests/scanners/performance.yaml")
        #expect(errors.isEmpty, "\(errors)")
        let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
        #expect(scanner.metadata.name == "performance" && scanner.spec.entry.builtin == PerformanceScanner().id)
        #expect(scanner.spec.capabilities?.requiresBrowser == true)
        let properties = try #require(scanner.spec.configSchema?["properties"]?.objectValue)
        #expect(Set(properties.keys) == ["formFactor", "budgets", "minScore"])
        let budgetProperties = try #require(properties["budgets"]?["properties"]?.objectValue)
        #expect(Set(budgetProperties.keys) == ["fcpMs", "lcpMs", "cls", "tbtMs", "ttfbMs", "transferBytes", "requestCount"])
        var defaults = JSONValue.object(properties.compactMapValues { $0["default"] })
        defaults.setValue(.object(budgetProperties.compactMapValues { $0["default"] }), at: ["budgets"])
        let config = try defaults.decode(as: PerformanceScanner.Configuration.self)
        #expect(config.formFactor == .desktop && config.minScore == 0.9)
        #expect(config.budgets?.ttfbMs == PerformanceBudgets.defaultTTFBMs)
        #expect(Set(scanner.spec.severityMapping?.keys.map { $0 } ?? []) == ["warning", "notice"])
    }
}
