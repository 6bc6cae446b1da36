import Foundation
import StageflowTestSupport
import Testing

/// The `stageflow up` process itself: readiness, clean shutdown, durable data.
@Suite("stageflow up", .serialized)
struct StageflowUpTests {
    @Test("serves /readyz, keeps data across restarts, and exits 0 on SIGTERM")
    func lifecycle() throws {
        let first = try StageflowUp()
        let ready = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(first.url)/readyz"])
        #expect(ready.stdout == "200", "\(ready)")
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "durable", urls: ["https://example.com/"]))
        let applied = try run(Binaries.stageflowctl, ["--server", first.url, "apply", "-f", manifest], environment: first.clientEnvironment)
        #expect(applied.status == 0, "\(applied)")
        // The controllers' metrics are served beside the API's.
        _ = waitUntil(seconds: 30) {
            ((try? run("/usr/bin/curl", ["-sS"] + first.curlAuthorization + ["\(first.url)/metrics"]))?.stdout ?? "").contains("stageflow_reconcile_duration_seconds")
        }
        let metrics = try run("/usr/bin/curl", ["-sS"] + first.curlAuthorization + ["\(first.url)/metrics"]).stdout
        #expect(metrics.contains("apiserver_request_total"))
        #expect(metrics.contains("stageflow_workqueue_"), "\(metrics.prefix(2000))")
        #expect(metrics.contains("stageflow_reconcile_duration_seconds"))
        #expect(first.stop(keepData: true) == 0, "stageflow up did not shut down cleanly: \(first.server.errors.text)")

        let second = try StageflowUp(dataDirectory: first.dataDirectory)
        defer { _ = second.stop() }
        let listed = try run(Binaries.stageflowctl, ["--server", second.url, "get", "scanjobs", "-o", "name"], environment: second.clientEnvironment)
        #expect(listed.stdout.contains("scanjob.stageflow.dev/durable"), "\(listed)")
    }

    @Test("killed with SIGKILL and restarted on its data directory, stageflow up takes its own lease at once and reconciles")
    func restartResumesAtOnce() throws {
        // The default lease (10 s): a restart that had to wait for its old lease to expire would take that long.
        let first = try StageflowUp()
        #expect(first.server.errors.wait(for: "became the leader", seconds: 60) || first.server.output.text.contains("became the leader"))
        let before = try Self.lease(first)
        kill(first.server.process.processIdentifier, SIGKILL)
        first.server.process.waitUntilExit()

        let launched = Date()
        let second = try StageflowUp(dataDirectory: first.dataDirectory)
        defer { _ = second.stop() }
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "after-restart", urls: ["https://example.com/"]))
        let applied = try run(Binaries.stageflowctl, ["--server", second.url, "apply", "-f", manifest], environment: second.clientEnvironment)
        #expect(applied.status == 0, "\(applied)")
        // The first pass of the new process's controller gives the job a phase.
        let driver = ScanDriver(server: second.url, dataDirectory: second.dataDirectory)
        let reconciled = waitUntil(seconds: 60) { ((try? driver.phase("after-restart")) ?? nil) != nil }
        let elapsed = Date().timeIntervalSince(launched)
        print("stageflow up restarted after SIGKILL: reconciling \(String(format: "%.2f", elapsed)) s after launch (lease 10 s)")
        #expect(reconciled, "\(second.server.errors.text.suffix(2000))")
        // It renewed the lease it held before the kill (same holder, no transition), rather than taking one over;
        // the time it took is a figure for the notes, not an assertion.
        let after = try Self.lease(second)
        #expect(after.holder == before.holder && !before.holder.isEmpty, "\(before) → \(after)")
        #expect(after.transitions == before.transitions, "\(before) → \(after)")
    }

    /// The controllers' lease as `stageflow up` serves it: holder and transitions.
    static func lease(_ server: StageflowUp) throws -> (holder: String, transitions: Int) {
        let fetched = try run(
            "/usr/bin/curl",
            ["-sS"] + server.curlAuthorization + [server.url + "/apis/stageflow.dev/v1alpha1/namespaces/stageflow-system/leases/stageflow-controller"])
        let spec = (try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any])?["spec"] as? [String: Any] ?? [:]
        return (spec["holderIdentity"] as? String ?? "", spec["leaseTransitions"] as? Int ?? -1)
    }

    @Test("an invalid scanner manifest stops start-up, naming the file and the JSON pointer of the fault")
    func invalidManifest() throws {
        let plugins = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bad-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        let manifest = plugins.appendingPathComponent("broken.yaml")
        try """
            apiVersion: stageflow.dev/v1alpha1
            kind: Scanner
            metadata: {name: broken}
            spec:
              id: broken
              version: 1.0.0
              entry: {command: []}
            """.write(to: manifest, atomically: true, encoding: .utf8)
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bad-\(UUID().uuidString)")
        let result = try run(
            Binaries.stageflow, ["up", "--data-dir", data.path, "--listen", "127.0.0.1:0"],
            environment: ["PLUGIN_PATHS": plugins.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(manifest.path), "\(result)")
        #expect(result.stderr.contains("/spec/entry/command"), "\(result)")
        #expect(!result.stdout.contains("serving at"), "\(result)")
    }

    @Test("a bad flag is a usage error naming it")
    func badFlag() throws {
        let result = try run(Binaries.stageflow, ["up", "--listen", "not-an-address"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("listen"), "\(result)")
    }
}
