import Foundation

/// Where the package and the shared corpus are, and how to run Python's jsonschema.
enum PackagePaths {
    /// The package root (symlinks resolved, so a throwaway package that links the sources finds the checkout).
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `manifests/schema/report.schema.json`.
    static let reportSchema = root.appendingPathComponent("manifests/schema/report.schema.json")

    /// The shared corpus: `$STAGEFLOW_CORPUS`, or `../shared/corpus` next to the package.
    static let corpus: URL = {
        if let path = ProcessInfo.processInfo.environment["STAGEFLOW_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return root.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    /// The SARIF 2.1.0 schema from the corpus, if present.
    static let sarifSchema: URL? = {
        let url = corpus.appendingPathComponent("sarif/sarif-schema-2.1.0.json")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()
}

/// Validates JSON against a JSON Schema with Python's `jsonschema` package in a subprocess.
enum PythonJSONSchema {
    /// Whether `python3` with `jsonschema` can be run.
    static let isAvailable: Bool = (try? run(["-c", "import jsonschema"]).status) == 0

    /// The validation errors (empty when valid), one line each.
    static func errors(of instance: Data, against schema: URL) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-report-\(UUID().uuidString).json")
        try instance.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            instance = json.load(open(sys.argv[2]))
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            errors = sorted(cls(schema).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
            for e in errors[:20]:
                print("/" + "/".join(map(str, e.absolute_path)) + ": " + e.message[:300])
            sys.exit(1 if errors else 0)
            """
        let result = try run(["-c", script, schema.path, file.path])
        if result.status == 0 { return [] }
        let lines = result.output.split(separator: "\n").map(String.init)
        return lines.isEmpty ? ["python exited with \(result.status)"] : lines
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
