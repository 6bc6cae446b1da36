import Foundation
import StageflowTestSupport
import Testing

/// Real scans: `stageflow up`, the controller, scanner processes or Podman containers, and a fixture site on
/// loopback.
@Suite("Scans end to end", .serialized)
struct ScanEndToEndTests {
    @Test("a ScanJob against a loopback site reaches Done with a report (process runtime)")
    func processRuntime() throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try driver.apply(fixtureScanYAML(name: "fixture", site: site))
        #expect(try driver.waitFinished("fixture") == "Done", "\(String(describing: try? driver.job("fixture")))")
        let uid = try driver.uid("fixture")
        let report = try driver.report(uid: uid)
        let issues = report["issues"] as? [[String: Any]] ?? []
        let rules = Set(issues.compactMap { $0["ruleId"] as? String })
        #expect(!issues.isEmpty)
        #expect(rules.contains { $0.contains("broken") }, "rules: \(rules)")
        #expect(rules.contains { $0.contains("anchor") }, "rules: \(rules)")
        let scanners = report["scanners"] as? [[String: Any]] ?? []
        #expect(Set(scanners.compactMap { $0["id"] as? String }) == ["security-headers", "link-checker"])
        let waited = try driver.ctl(["wait", "scanjob/fixture", "--for=condition=Complete", "--timeout=10s"])
        #expect(waited.status == 0, "\(waited)")
    }

    /// The fixture site and `stageflow up` with the misbehaving plugins of `Fixtures/plugins` installed.
    static func withFixturePlugins() throws -> (site: FixtureSite, server: StageflowUp, driver: ScanDriver) {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        do {
            let server = try StageflowUp(
                extraArguments: ["--allow-private-targets"], environment: ["PLUGIN_PATHS": FixtureSite.endToEndFixture("plugins")])
            return (site, server, ScanDriver(server: server.url, dataDirectory: server.dataDirectory))
        } catch {
            site.stop()
            throw error
        }
    }

    @Test("scanners that crash, hang past their limit or exceed their memory are failed with their message; the rest report")
    func misbehavingScanners() throws {
        let (site, server, driver) = try Self.withFixturePlugins()
        defer {
            site.stop()
            _ = server.stop()
        }
        let yaml = fixtureScanYAML(name: "rough", site: site)
            .replacingOccurrences(of: "    - name: link-checker", with: "    - name: crashes\n    - name: hangs\n    - name: hog")
        try driver.apply(yaml)
        #expect(try driver.waitFinished("rough") == "Done", "\(String(describing: try? driver.job("rough")))")
        let status = try driver.job("rough")?["status"] as? [String: Any] ?? [:]
        let scanners = Dictionary(
            (status["scanners"] as? [[String: Any]] ?? []).map { (($0["name"] as? String) ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(scanners["security-headers"]?["state"] as? String == "Succeeded")
        for failing in ["crashes", "hangs", "hog"] {
            #expect(scanners[failing]?["state"] as? String == "Failed", "\(failing): \(String(describing: scanners[failing]))")
            let message = scanners[failing]?["message"] as? String ?? ""
            #expect(message.isEmpty == false, "\(failing) has no message")
        }
        #expect((scanners["crashes"]?["message"] as? String)?.contains("lost its mind") == true, "\(String(describing: scanners["crashes"]))")
        let report = try driver.report(uid: try driver.uid("rough"))
        let reported = Dictionary(
            (report["scanners"] as? [[String: Any]] ?? []).map { (($0["id"] as? String) ?? "", $0["status"] as? String ?? "") },
            uniquingKeysWith: { a, _ in a })
        #expect(reported == ["security-headers": "success", "crashes": "failed", "hangs": "failed", "hog": "failed"])
        #expect(!(report["issues"] as? [[String: Any]] ?? []).isEmpty)
    }

    @Test("a scanner whose container is killed from outside is started again; the job ends Done and counts the restart")
    func killedScannerRestarts() throws {
        let (site, server, driver) = try Self.withFixturePlugins()
        defer {
            site.stop()
            _ = server.stop()
        }
        #expect(waitUntil(seconds: 60) { (try? driver.ctl(["get", "scanners", "-o", "name"]).stdout.contains("killed-once")) == true })
        try driver.apply(
            fixtureScanYAML(name: "interrupted", site: site).replacingOccurrences(of: "    - name: link-checker", with: "    - name: killed-once"))
        let uid = try driver.uid("interrupted")
        // The plugin marks its first run, then waits: kill every process of its container's session, as the
        // kernel's OOM killer or an operator's kill -9 of the whole container would.
        let mark = "/tmp/stageflow-killed-once-\(uid)"
        let pidFile = server.dataDirectory.appendingPathComponent("pods/\(uid)/killed-once/pid").path
        let waiting = waitUntil(seconds: 120) {
            FileManager.default.fileExists(atPath: mark) && FileManager.default.fileExists(atPath: pidFile)
        }
        try #require(waiting, "the plugin never started: \(String(describing: try? driver.job("interrupted")))")
        let leader = try String(contentsOfFile: pidFile, encoding: .utf8).split(separator: " ").first.map(String.init) ?? ""
        let killed = try run("/usr/bin/pkill", ["-KILL", "-s", leader])
        #expect(killed.status == 0, "\(killed)")
        #expect(try driver.waitFinished("interrupted") == "Done", "\(String(describing: try? driver.job("interrupted")))")
        let status = try driver.job("interrupted")?["status"] as? [String: Any] ?? [:]
        let scanner = (status["scanners"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "killed-once" } ?? [:]
        #expect(scanner["state"] as? String == "Succeeded", "\(scanner)")
        #expect(scanner["restarts"] as? Int == 1, "\(scanner)")
        #expect(!FileManager.default.fileExists(atPath: mark), "the second run ran")
        let described = try driver.ctl(["describe", "scanjob", "interrupted"])
        #expect(described.stdout.contains("ScannerRestarted"), "\(described.stdout)")
    }

    @Test("the same scan on Podman, containers running the host build through a read-only overlay")
    func podmanRuntime() throws {
        let podman = try PodmanService.shared()
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: [
            "--allow-private-targets", "--runtime", "podman", "--podman-socket", podman.socketPath,
        ])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try driver.apply(fixtureScanYAML(name: "in-podman", site: site))
        #expect(try driver.waitFinished("in-podman") == "Done", "\(String(describing: try? driver.job("in-podman")))")
        let uid = try driver.uid("in-podman")
        #expect(try !driver.fingerprints(uid: uid).isEmpty)
        // Deleting the job removes its pod.
        #expect(try driver.ctl(["delete", "scanjob", "in-podman"]).status == 0)
        let listed = try run("/usr/bin/podman", ["--url", "unix://\(podman.socketPath)", "ps", "-a", "--filter", "label=stageflow.dev/job=\(uid)", "-q"])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(listed)")
    }
}
