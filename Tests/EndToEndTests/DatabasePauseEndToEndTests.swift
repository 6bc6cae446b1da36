import Foundation
import StageflowTestSupport
import Testing

/// A database that stops answering (PostgreSQL paused with SIGSTOP: connections still accepted, nothing
/// answered, as in a network partition) under a running `stageflow apiserver`: writes get 503/504 within the
/// request deadline instead of hanging, `/readyz` says unready, and once the database is back the next write
/// succeeds and nothing acknowledged is lost.
@Suite("A database that stops answering", .serialized)
struct DatabasePauseEndToEndTests {
    @Test("PostgreSQL paused: writes answer 503/504 within the deadline, /readyz is unready; resumed, writes succeed and nothing is lost")
    func pausedDatabase() async throws {
        let cluster = try await PostgresCluster.start()
        defer { cluster.stop() }
        let databaseURL = try await cluster.makeDatabase()
        let token = "pause-e2e-token-0123456789"
        let tokens = try temporaryFile("tokens.yaml", "tokens:\n  - {token: \(token), user: operator, namespaces: [\"*\"], role: admin}\n")
        let server = try BackgroundProcess(
            Binaries.stageflow,
            ["apiserver", "--database-url", databaseURL, "--listen", "127.0.0.1:0", "--auth-token-file", tokens])
        defer { server.stop(grace: 5) }
        guard server.output.wait(for: "serving at ", seconds: 60),
            let line = server.output.text.split(separator: "\n").first(where: { $0.contains("serving at ") }),
            let range = line.range(of: "http://")
        else { throw E2EError("stageflow apiserver did not start: \(server.output.text) \(server.errors.text)") }
        let url = String(line[range.lowerBound...].prefix { !$0.isWhitespace })

        /// Creates Scanner `name`; returns the HTTP status and body. curl gives up after 60 s, far beyond the deadline.
        func create(_ name: String) throws -> (code: String, body: String) {
            let body = #"{"apiVersion":"stageflow.dev/v1alpha1","kind":"Scanner","metadata":{"name":"\#(name)"},"spec":{"id":"\#(name)","version":"1.0.0","entry":{"builtin":"\#(name)"}}}"#
            let result = try run(
                "/usr/bin/curl",
                ["-sS", "--max-time", "60", "-w", "\n%{http_code}", "-X", "POST", "-H", "Authorization: Bearer \(token)",
                 "-H", "Content-Type: application/json", "--data", body, "\(url)/apis/stageflow.dev/v1alpha1/scanners"])
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
        }
        func ready() throws -> String {
            try run("/usr/bin/curl", ["-sS", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}", "\(url)/readyz"]).stdout
        }

        #expect(try create("before").code == "201")
        #expect(waitUntil(seconds: 30) { (try? ready()) == "200" })

        cluster.pause()
        let stalled = try create("during")
        #expect(["503", "504"].contains(stalled.code), "\(stalled)")
        #expect(stalled.body.contains("may or may not have been applied") || stalled.body.contains("try again"), "\(stalled.body)")
        #expect(waitUntil(seconds: 30) { (try? ready()) == "503" }, "/readyz stayed ready while the database was paused")
        let live = try run("/usr/bin/curl", ["-sS", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}", "\(url)/livez"])
        #expect(live.stdout == "200")

        cluster.resume()
        var after = (code: "", body: "")
        #expect(waitUntil(seconds: 60) {
            after = (try? create("after")) ?? after
            return after.code == "201"
        }, "no write succeeded after the database came back: \(after)")
        #expect(waitUntil(seconds: 30) { (try? ready()) == "200" })
        let listed = try run(
            "/usr/bin/curl",
            ["-sS", "--max-time", "60", "-H", "Authorization: Bearer \(token)", "\(url)/apis/stageflow.dev/v1alpha1/scanners"])
        #expect(listed.stdout.contains("\"before\"") && listed.stdout.contains("\"after\""), "\(listed.stdout.prefix(500))")
    }
}
