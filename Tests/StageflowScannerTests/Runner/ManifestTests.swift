import Foundation
import StageflowAPI
import Testing

@testable import StageflowScanner

/// Reads YAML manifests and validates them with Python (PyYAML and jsonschema), as the report tests do.
enum ManifestTool {
    static let isAvailable: Bool = (try? python(["-c", "import yaml, jsonschema"]).status) == 0

    /// The manifest as JSON, and the schema errors against `manifests/schema/scanner-manifest.schema.json`.
    static func load(_ relativePath: String) throws -> (manifest: JSONValue, errors: [String]) {
        let script = """
            import json, sys, yaml, jsonschema
            doc = yaml.safe_load(open(sys.argv[1]))
            schema = json.load(open(sys.argv[2]))
            errors = [("/" + "/".join(map(str, e.absolute_path)) + ": " + e.message) for e in
                      jsonschema.validators.validator_for(schema)(schema).iter_errors(doc)]
            jsonschema.validators.validator_for(doc["spec"]["configSchema"]).check_schema(doc["spec"]["configSchema"])
            print(json.dumps({"manifest": doc, "errors": errors}))
            """
        let result = try python([
            "-c", script, TestPaths.root.appendingPathComponent(relativePath).path,
            TestPaths.root.appendingPathComponent("manifests/schema/scanner-manifest.schema.json").path,
        ])
        let output = try JSONValue.parse(result.output)
        let errors = output["errors"]?.arrayValue?.compactMap(\.stringValue) ?? ["python failed: \(result.output)"]
        return (output["manifest"] ?? .null, errors)
    }

    private static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

@Suite("scanner manifests")
struct ManifestTests {
    @Test(
        "the shipped manifests validate, name a registered built-in, and their config schema fits the scanner",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"),
        arguments: [
            ("manifests/scanners/security-headers.yaml", ["timeoutSeconds", "checkRedirection", "checkCORS", "hstsPreloadList"]),
            ("manifests/scanners/link-checker.yaml", [
                "checkExternal", "maxConcurrencyPerHost", "maxConcurrency", "timeoutSeconds", "maxRedirects",
                "checkFragments", "reportRedirects", "ignore",
            ]),
            ("manifests/scanners/axe.yaml", ["tags", "rules", "disableRules", "include", "exclude", "includeIncomplete"]),
        ])
    func builtinManifest(path: String, options: [String]) throws {
        let (manifest, errors) = try ManifestTool.load(path)
        #expect(errors.isEmpty, "\(errors)")
        let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
        #expect(scanner.metadata.name == scanner.spec.id)
        let builtin = try #require(scanner.spec.entry.builtin)
        let registry = BuiltinScannerRegistry.standard
        #expect((registry.scanner(builtin)?.id ?? registry.pageScanner(builtin)?.id) == scanner.spec.id)
        let properties = try #require(scanner.spec.configSchema?["properties"]?.objectValue)
        #expect(Set(properties.keys) == Set(options))
        // Every default decodes into the scanner's configuration type.
        let defaults = JSONValue.object(properties.compactMapValues { $0["default"] })
        if builtin == "link-checker" {
            let config = try defaults.decode(as: LinkCheckerScanner.Configuration.self)
            #expect(config.checkExternal == false && config.maxConcurrencyPerHost == 4 && config.timeoutSeconds == 10)
        } else if builtin == "axe" {
            let config = try defaults.decode(as: AxeScanner.Configuration.self)
            #expect(config.includeIncomplete == true && config.rules == nil)
            #expect(scanner.spec.capabilities?.requiresBrowser == true)
        } else {
            let config = try defaults.decode(as: SecurityHeadersScanner.Configuration.self)
            #expect(config.timeoutSeconds == 15 && config.checkCORS == true)
        }
        #expect(scanner.spec.severityMapping?.isEmpty == false)
    }

    @Test(
        "every shipped manifest validates, and each built-in it names is registered",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"))
    func everyManifest() throws {
        let folder = TestPaths.root.appendingPathComponent("manifests/scanners")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 8)
        var builtins: [String] = []
        for file in files {
            let (manifest, errors) = try ManifestTool.load("manifests/scanners/" + file)
            #expect(errors.isEmpty, "\(file): \(errors)")
            let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
            guard let builtin = scanner.spec.entry.builtin else { continue }
            builtins.append(builtin)
            let registry = BuiltinScannerRegistry.standard
            #expect(registry.scanner(builtin) != nil || registry.pageScanner(builtin) != nil, "\(file) names \(builtin)")
        }
        #expect(Set(builtins) == Set(BuiltinScannerRegistry.standard.ids))
    }

    @Test(
        "the example plugin's manifest validates and runs its script",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"))
    func pluginManifest() throws {
        let (manifest, errors) = try ManifestTool.load("manifests/plugins/title-length.yaml")
        #expect(errors.isEmpty, "\(errors)")
        let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
        #expect(scanner.spec.entry.command == ["python3", "manifests/plugins/title-length.py"])
        #expect(TestPaths.exists(TestPaths.root.appendingPathComponent("manifests/plugins/PLUGINS.md")))
    }
}
