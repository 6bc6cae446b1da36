import Foundation
import StageflowTestSupport
import Testing

/// `stageflow apiserver` on a real PostgreSQL cluster: it serves, and it survives a database restart without
/// being restarted itself.
@Suite("stageflow apiserver on PostgreSQL", .serialized)
struct APIServerPostgresTests {
    @Test("a PostgreSQL restart under the running API server: requests fail or succeed while it is down, and work after")
    func restartUnderServer() async throws {
        let cluster = try await PostgresCluster.start()
        defer { cluster.stop() }
        let databaseURL = try await cluster.makeDatabase()
        // An API server without a token file (or --insecure-no-auth) does not start.
        let refused = try run(Binaries.stageflow, ["apiserver", "--database-url", databaseURL, "--listen", "127.0.0.1:0"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--auth-token-file"), "\(refused)")
        let token = "apiserver-e2e-token-0123456789"
        let tokens = try temporaryFile(
            "tokens.yaml", "tokens:\n  - {token: \(token), user: operator, namespaces: [\"*\"], role: admin}\n")
        let (server, url) = try startAPIServer(
            ["--database-url", databaseURL, "--listen", "127.0.0.1:0", "--auth-token-file", tokens])
        defer { server.stop(grace: 5) }
        func ctl(_ arguments: [String]) throws -> CommandResult {
            try run(Binaries.stageflowctl, ["--server", url, "--token", token] + arguments)
        }
        // Scanners are registered by the controllers; this API server alone accepts a Scanner applied by hand.
        let scanners = try temporaryFile(
            "scanners.yaml",
            ["security-headers", "link-checker"].map { id in
                "apiVersion: stageflow.dev/v1alpha1\nkind: Scanner\nmetadata: {name: \(id)}\nspec: {id: \(id), version: 1.0.0, entry: {builtin: \(id)}}\n"
            }.joined(separator: "---\n"))
        #expect(try ctl(["apply", "-f", scanners]).status == 0)
        let before = try temporaryFile("before.yaml", scanJobYAML(name: "before", urls: ["https://example.com/"]))
        let applied = try ctl(["apply", "-f", before])
        #expect(applied.status == 0, "\(applied)")

        try await cluster.restart()

        // After the restart the same server process answers again (its connections are re-established).
        let after = try temporaryFile("after.yaml", scanJobYAML(name: "after", urls: ["https://example.com/"]))
        let recovered = waitUntil(seconds: 60) { (try? ctl(["apply", "-f", after]).status) == 0 }
        #expect(recovered, "apply never succeeded after the restart: \(server.errors.text.suffix(2000))")
        let listed = try ctl(["get", "scanjobs", "-o", "name"])
        #expect(listed.stdout.contains("scanjob.stageflow.dev/before"), "\(listed)")
        #expect(listed.stdout.contains("scanjob.stageflow.dev/after"), "\(listed)")
        #expect(server.process.isRunning)
    }
}
