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
        let applied = try run(Binaries.stageflowctl, ["--server", first.url, "apply", "-f", manifest])
        #expect(applied.status == 0, "\(applied)")
        #expect(first.stop(keepData: true) == 0, "stageflow up did not shut down cleanly: \(first.server.errors.text)")

        let second = try StageflowUp(dataDirectory: first.dataDirectory)
        defer { _ = second.stop() }
        let listed = try run(Binaries.stageflowctl, ["--server", second.url, "get", "scanjobs", "-o", "name"])
        #expect(listed.stdout.contains("scanjob.stageflow.dev/durable"), "\(listed)")
    }

    @Test("a bad flag is a usage error naming it")
    func badFlag() throws {
        let result = try run(Binaries.stageflow, ["up", "--listen", "not-an-address"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("listen"), "\(result)")
    }
}
