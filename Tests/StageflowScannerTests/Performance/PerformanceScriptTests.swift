import Foundation
import Testing

@testable import StageflowScanner

/// `node`, when it is installed.
enum NodeTool {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return environment.split(separator: ":").map { "\($0)/node" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Runs `node --check` on a script; returns the exit status and standard error.
    static func check(_ script: String) throws -> (status: Int32, errors: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-\(UUID().uuidString).js")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/node")
        process.arguments = ["--check", file.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let errors = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errors, as: UTF8.self))
    }
}

@Suite("performance scripts")
struct PerformanceScriptTests {
    @Test(
        "the document-start script and the collecting expression are valid JavaScript",
        .enabled(if: NodeTool.path != nil, "node is not installed"))
    func syntax() throws {
        for script in [PerformanceScript.documentStart, "const value = " + PerformanceScript.collect + ";"] {
            let result = try NodeTool.check(script)
            #expect(result.status == 0, "\(result.errors)")
        }
    }

    @Test(
        "the collecting expression returns the shape PerformanceSample decodes, even without observers",
        .enabled(if: NodeTool.path != nil, "node is not installed"))
    func runsWithoutObservers() throws {
        // Node has `performance` but no paint entries and no PerformanceObserver types of the browser: the
        // expression must still resolve to JSON (the fallback path, with unknown figures).
        let script = """
            globalThis.window = globalThis;
            Promise.resolve(\(PerformanceScript.collect)).then((value) => console.log(JSON.stringify(value)));
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-\(UUID().uuidString).js")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NodeTool.path ?? "/usr/bin/node")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let sample = try JSONDecoder().decode(PerformanceSample.self, from: output)
        #expect(sample.installed == false && sample.fcp == nil && sample.longTasks == nil)
    }
}
