import Foundation
import StageflowTestSupport
import Testing

/// A site built to get out (Fixtures/hostile-site): subresources, frames, forms, beacons, fetch, WebSocket,
/// EventSource, workers, a service worker, speculation rules, prefetch and preconnect, meta refresh, script
/// redirects, popups, link pings, WebRTC, loopback spellings — all aimed at a canary listening on every address
/// of the machine. Uploaded as a ZIP and scanned by every built-in scanner on a server that does not allow private
/// targets, nothing may reach the canary, and the report names what was blocked.
@Suite("A hostile site, scanned", .serialized)
struct HostileSiteEndToEndTests {
    static let scanners = "axe,performance,seo,open-graph,spelling,security-headers,link-checker"

    /// The hostile site with the canary's addresses filled in, zipped.
    static func hostileArchive(canary: Canary, second: String) throws -> String {
        let source = URL(fileURLWithPath: FixtureSite.endToEndFixture("hostile-site"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            let text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "{{A}}", with: "127.0.0.1:\(canary.port)")
                .replacingOccurrences(of: "{{B}}", with: "\(second):\(canary.port)")
                .replacingOccurrences(of: "{{PORT}}", with: "\(canary.port)")
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let archive = directory.appendingPathExtension("zip").path
        let script = """
            import os, sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(os.listdir(sys.argv[2])):
                    archive.write(os.path.join(sys.argv[2], name), name)
            """
        let result = try run("/usr/bin/python3", ["-c", script, archive, directory.path])
        guard result.status == 0 else { throw E2EError("cannot zip the hostile site: \(result)") }
        return archive
    }

    func scan(_ server: StageflowUp, canary: Canary) throws {
        let second = Canary.secondAddress()
        let archive = try Self.hostileArchive(canary: canary, second: second)
        let upload = try run(
            "/usr/bin/curl",
            ["-sS"] + server.curlAuthorization
                + ["-F", "scanners=\(Self.scanners)", "-F", "file=@\(archive);type=application/zip", "\(server.url)/api/v1/jobs/zip"])
        let body = try JSONSerialization.jsonObject(with: Data(upload.stdout.utf8)) as? [String: Any]
        let name = try #require(body?["name"] as? String, "\(upload)")
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let phase = try driver.waitFinished(name, seconds: 600)
        #expect(phase == "Done", "\(String(describing: try? driver.job(name)))")

        #expect(canary.arrivals.isEmpty, "reached the canary: \(canary.arrivals)")

        let report = try driver.report(uid: try driver.uid(name))
        // Every scanner ran (a scanner that failed to start would have made no requests to be blocked).
        let statuses = (report["scanners"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "?")=\($0["status"] ?? "?")" }
        #expect(statuses.count == 7 && statuses.allSatisfy { $0.hasSuffix("=success") || $0.hasSuffix("=partial") }, "\(statuses)")
        let errors = (report["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        let blocked = errors.filter { $0.contains("blocked") && $0.contains(String(canary.port)) }
        // The browser's attempts on both addresses, by URL (the request gate) or by connection (the egress proxy).
        #expect(blocked.contains { $0.contains("127.0.0.1") }, "\(errors)")
        #expect(blocked.contains { $0.contains(second) }, "\(errors)")
        // The HTTP scanners' own requests (links, og:image) are refused and reported too.
        let text = String(decoding: try JSONSerialization.data(withJSONObject: report), as: UTF8.self)
        let openGraph = (report["issues"] as? [[String: Any]] ?? []).filter { ($0["scanner"] as? String) == "open-graph" }
            .map { "\($0["ruleId"] ?? ""): \($0["message"] ?? "")" }
        #expect(text.contains("og:image") && text.contains("was not checked"), "the Open Graph scanner's refused image fetch is not reported: \(openGraph) \(errors.filter { $0.contains("og") })")
        // The egress proxy reports connections (`blocked: host:port: …`), the request gate URLs (`blocked: http://…`):
        // workers, WebSockets and the service worker are only ever seen by the proxy.
        let byProxy = blocked.filter { !$0.contains("blocked: http") && !$0.contains("blocked: ws") }
        #expect(!byProxy.isEmpty, "the egress proxy refused nothing: \(blocked)")
        print(
            "hostile site (\(second)): \(blocked.count) blocked attempts recorded (\(byProxy.count) by the egress proxy), "
                + "canary arrivals \(canary.arrivals.count)")
    }

    @Test("local processes: every built-in scanner over the hostile site, nothing reaches the canary")
    func processRuntime() throws {
        let canary = try Canary()
        defer { canary.stop() }
        let server = try StageflowUp()
        defer { _ = server.stop() }
        try scan(server, canary: canary)
    }

    @Test("Podman: every built-in scanner over the hostile site, nothing reaches the canary")
    func podmanRuntime() throws {
        let podman = try PodmanService.shared()
        let canary = try Canary()
        defer { canary.stop() }
        let server = try StageflowUp(extraArguments: ["--runtime", "podman", "--podman-socket", podman.socketPath])
        defer { _ = server.stop() }
        try scan(server, canary: canary)
    }
}
