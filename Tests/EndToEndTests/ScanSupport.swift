import Foundation
import StageflowTestSupport

/// A ScanJob of the fixture site with the HTTP scanners, allowed to reach loopback.
func fixtureScanYAML(name: String, site: FixtureSite) -> String {
    """
    apiVersion: stageflow.dev/v1alpha1
    kind: ScanJob
    metadata:
      name: \(name)
    spec:
      allowPrivateTargets: true
      target:
        urls:
          - \(site.baseURL)/
          - \(site.baseURL)/about/
      scanners:
        - name: security-headers
        - name: link-checker
    """
}

/// Client-side view of a running `stageflow up` for scan tests.
struct ScanDriver {
    let server: String
    let dataDirectory: URL

    func ctl(_ arguments: [String]) throws -> CommandResult {
        try run(
            Binaries.stageflowctl, ["--server", server] + arguments,
            environment: ["HOME": dataDirectory.path, "STAGEFLOW_DATA_DIR": dataDirectory.path])
    }

    func apply(_ yaml: String) throws {
        let file = try temporaryFile("scan.yaml", yaml)
        let result = try ctl(["apply", "-f", file])
        guard result.status == 0 else { throw E2EError("apply failed: \(result)") }
    }

    func job(_ name: String) throws -> [String: Any]? {
        let result = try ctl(["get", "scanjob", name, "-o", "json"])
        guard result.status == 0 else { return nil }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    }

    func uid(_ name: String) throws -> String {
        guard let metadata = try job(name)?["metadata"] as? [String: Any], let uid = metadata["uid"] as? String else {
            throw E2EError("no uid for \(name)")
        }
        return uid
    }

    func phase(_ name: String) throws -> String? {
        (try job(name)?["status"] as? [String: Any])?["phase"] as? String
    }

    /// Waits (bounded, generously) for the job to finish and returns its phase.
    func waitFinished(_ name: String, seconds: Double = 180) throws -> String? {
        var phase: String?
        _ = waitUntil(seconds: seconds) {
            phase = try? self.phase(name)
            return phase == "Done" || phase == "Failed"
        }
        return phase
    }

    /// The stored unified report of a job, from the filesystem object store in the data directory.
    func report(uid: String) throws -> [String: Any] {
        let file = dataDirectory.appendingPathComponent("objects/artifacts/\(uid)/report.json")
        let data = try Data(contentsOf: file)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// The fingerprints of a report's issues.
    /// The element fingerprints of the stored report's issues (what baseline diffs compare).
    func fingerprints(uid: String) throws -> Set<String> {
        let issues = try report(uid: uid)["issues"] as? [[String: Any]] ?? []
        return Set(issues.flatMap { ($0["occurrences"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } })
    }
}

/// `stageflow apiserver` started for real with `arguments` (after `apiserver`), and the URL it serves at.
func startAPIServer(_ arguments: [String]) throws -> (process: BackgroundProcess, url: String) {
    let server = try BackgroundProcess(Binaries.stageflow, ["apiserver"] + arguments)
    guard server.output.wait(for: "serving at ", seconds: 60),
        let line = server.output.text.split(separator: "\n").first(where: { $0.contains("serving at ") }),
        let range = line.range(of: "http://")
    else {
        server.stop(grace: 5)
        throw E2EError("stageflow apiserver did not start: \(server.output.text) \(server.errors.text)")
    }
    return (server, String(line[range.lowerBound...].prefix { !$0.isWhitespace }))
}
