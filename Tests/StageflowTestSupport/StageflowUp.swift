import Foundation
import StageflowThrowaway

/// `stageflow up` started for real on a free loopback port with a fresh data directory.
public final class StageflowUp: @unchecked Sendable {
    public let server: BackgroundProcess
    public let url: String
    public let dataDirectory: URL

    public init(
        dataDirectory existing: URL? = nil, extraArguments: [String] = [], environment: [String: String] = [:],
        executable: String = Binaries.stageflow
    ) throws {
        dataDirectory = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        server = try BackgroundProcess(
            executable, ["up", "--data-dir", dataDirectory.path, "--listen", "127.0.0.1:0"] + extraArguments,
            environment: environment)
        guard server.output.wait(for: "serving at ", seconds: 60),
            let line = server.output.text.split(separator: "\n").first(where: { $0.contains("serving at ") }),
            let range = line.range(of: "http")
        else {
            server.stop()
            throw E2EError("stageflow up did not report its URL:\n\(server.output.text)\n\(server.errors.text)")
        }
        url = String(line[range.lowerBound...].prefix { !$0.isWhitespace })
        let tokenFile = dataDirectory.appendingPathComponent("admin-token")
        token = (try? String(contentsOf: tokenFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        signInURL = server.output.text.split(separator: "\n").first { $0.contains("/login?code=") }
            .flatMap { line in line.range(of: "http").map { String(line[$0.lowerBound...].prefix { !$0.isWhitespace }) } }
        let controllerFile = dataDirectory.appendingPathComponent("controller-token")
        controllerToken = (try? String(contentsOf: controllerFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The one-time workbench sign-in link `stageflow up` printed, if it printed one.
    public let signInURL: String?

    /// The controller token beside it, for tests that play the controller (status writes).
    public let controllerToken: String?

    /// The admin token `stageflow up` keeps in its data directory (`nil` with `--insecure-no-auth` or a token file).
    public let token: String?

    /// The environment under which `stageflowctl` finds this server's admin token, as it does on the same machine.
    public var clientEnvironment: [String: String] { ["STAGEFLOW_DATA_DIR": dataDirectory.path] }

    /// `-H "Authorization: Bearer …"` for curl (empty without a token).
    public var curlAuthorization: [String] { token.map { ["-H", "Authorization: Bearer \($0)"] } ?? [] }

    /// Stops the server and removes its data (unless `keepData`).
    public func stop(keepData: Bool = false) -> Int32 {
        let status = server.stop()
        if !keepData { try? FileManager.default.removeItem(at: dataDirectory) }
        return status
    }
}

/// A temporary file with `contents`.
public func temporaryFile(_ name: String, _ contents: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-e2e-files-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A ScanJob manifest.
public func scanJobYAML(name: String, urls: [String], labels: [String: String] = ["team": "web"], suspend: Bool = false) -> String {
    let labelLines = labels.sorted { $0.key < $1.key }.map { "    \($0.key): \($0.value)" }.joined(separator: "\n")
    let urlLines = urls.map { "      - \($0)" }.joined(separator: "\n")
    return """
        apiVersion: stageflow.dev/v1alpha1
        kind: ScanJob
        metadata:
          name: \(name)
          labels:
        \(labelLines)
        spec:
          suspend: \(suspend)
          target:
            urls:
        \(urlLines)
          scanners:
            - name: security-headers
            - name: link-checker
        """
}
