import Foundation
import StageflowAPI
import StageflowReport
import StageflowTestSupport
import Testing

/// The controller runtime for real: Events in `kubectl describe`, deletion that cascades through owner
/// references (also when the controller was down), a controller that reconciles again after losing its lease to
/// a stopped API server, and `stageflow apiserver --object-store` serving report pages.
@Suite("Controller runtime end to end", .serialized)
struct ControllerRuntimeEndToEndTests {
    /// A ScanSchedule that never fires (suspended, yearly).
    static func scheduleYAML(_ name: String) -> String {
        """
        apiVersion: stageflow.dev/v1alpha1
        kind: ScanSchedule
        metadata:
          name: \(name)
        spec:
          schedule: "@yearly"
          suspend: true
          jobTemplate:
            spec:
              target: {urls: ["https://example.com/"]}
              scanners: [{name: security-headers}]
        """
    }

    /// A suspended ScanJob (the controller leaves it Pending) owned by the schedule with this uid.
    static func ownedJobYAML(_ name: String, schedule: String, uid: String) -> String {
        """
        apiVersion: stageflow.dev/v1alpha1
        kind: ScanJob
        metadata:
          name: \(name)
          ownerReferences:
            - {apiVersion: stageflow.dev/v1alpha1, kind: ScanSchedule, name: \(schedule), uid: \(uid), controller: true, blockOwnerDeletion: true}
        spec:
          suspend: true
          target: {urls: ["https://example.com/"]}
          scanners: [{name: security-headers}]
        """
    }

    /// Creates schedules and, for each, one owned job `<schedule>-run`.
    static func makeOwners(_ names: [String], driver: ScanDriver) throws {
        for name in names {
            try driver.apply(scheduleYAML(name))
            guard let uid = try object(driver, "scanschedule", name)?[path: ["metadata", "uid"]]?.stringValue else {
                throw E2EError("no uid for schedule \(name)")
            }
            try driver.apply(ownedJobYAML("\(name)-run", schedule: name, uid: uid))
        }
    }

    /// An object as `stageflowctl get -o json` prints it, or `nil` when there is none.
    static func object(_ driver: ScanDriver, _ kind: String, _ name: String) throws -> JSONValue? {
        let result = try driver.ctl(["get", kind, name, "-o", "json"])
        guard result.status == 0 else { return nil }
        return try JSONValue.parse(Data(result.stdout.utf8))
    }

    /// kubectl against an open (`--insecure-no-auth`) plain-HTTP server, through a kubeconfig naming only its URL:
    /// kubectl sends tokens only over TLS, and stageflowctl in the same test talks plain HTTP.
    static func kubectl(_ server: StageflowUp, _ arguments: [String]) throws -> CommandResult {
        let path = server.dataDirectory.appendingPathComponent("plain-kubeconfig").path
        let config = """
            apiVersion: v1
            kind: Config
            clusters: [{name: local, cluster: {server: "\(server.url)"}}]
            users: [{name: anyone, user: {}}]
            contexts: [{name: local, context: {cluster: local, user: anyone}}]
            current-context: local
            """
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return try KubectlTests.kubectl(server, arguments, kubeconfig: path)
    }

    static func exists(_ driver: ScanDriver, _ kind: String, _ name: String) throws -> Bool {
        try object(driver, kind, name) != nil
    }

    /// The owner references of a job (an empty list when it has none).
    static func ownerReferences(_ driver: ScanDriver, job: String) throws -> [JSONValue] {
        try object(driver, "scanjob", job)?[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
    }

    @Test("a finished scan's events appear in kubectl describe and stageflowctl describe")
    func eventsInDescribe() throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        // kubectl sends a token only over TLS, so this server is open (authentication is tested elsewhere).
        let server = try StageflowUp(extraArguments: ["--allow-private-targets", "--insecure-no-auth"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try driver.apply(fixtureScanYAML(name: "evented", site: site))
        #expect(try driver.waitFinished("evented") == "Done")
        // The first occurrence of each event is written at once; give the writes a moment to land.
        var described: CommandResult?
        _ = waitUntil(seconds: 30) {
            described = try? Self.kubectl(server, ["describe", "scanjob", "evented"])
            return described?.stdout.contains("Completed") == true
        }
        let kubectl = try #require(described)
        #expect(kubectl.status == 0, "\(kubectl)")
        for expected in ["Events:", "Normal", "Accepted", "Scanning", "Completed", "stageflow-controller"] {
            #expect(kubectl.stdout.contains(expected), "kubectl describe lacks \(expected): \(kubectl.stdout)")
        }
        let ours = try driver.ctl(["describe", "scanjob", "evented"])
        #expect(ours.status == 0, "\(ours)")
        for expected in ["Events:", "Accepted", "Scanning", "Completed", "stageflow-controller"] {
            #expect(ours.stdout.contains(expected), "stageflowctl describe lacks \(expected): \(ours.stdout)")
        }
        let listed = try Self.kubectl(server, ["get", "events"])
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.stdout.contains("Completed"), "\(listed)")
    }

    @Test("kubectl and stageflowctl delete cascade: background deletes the dependents, orphan keeps them, foreground waits for them")
    func cascadingDelete() throws {
        let server = try StageflowUp(extraArguments: ["--insecure-no-auth"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try Self.makeOwners(["bg", "orph", "fg", "ctl-orph"], driver: driver)

        let background = try Self.kubectl(server, ["delete", "scanschedule", "bg"])
        #expect(background.status == 0, "\(background)")
        #expect(waitUntil(seconds: 60) { (try? Self.exists(driver, "scanjob", "bg-run")) == false }, "background did not delete the dependent")

        let orphan = try Self.kubectl(server, ["delete", "scanschedule", "orph", "--cascade=orphan"])
        #expect(orphan.status == 0, "\(orphan)")
        #expect(try !Self.exists(driver, "scanschedule", "orph"))
        #expect(try Self.exists(driver, "scanjob", "orph-run"))
        #expect(try Self.ownerReferences(driver, job: "orph-run").isEmpty)

        // kubectl waits until the owner is gone; by then its blocking dependent must be gone too.
        let foreground = try Self.kubectl(server, ["delete", "scanschedule", "fg", "--cascade=foreground"])
        #expect(foreground.status == 0, "\(foreground)")
        #expect(try !Self.exists(driver, "scanschedule", "fg"))
        #expect(try !Self.exists(driver, "scanjob", "fg-run"))

        let ours = try driver.ctl(["delete", "scanschedule", "ctl-orph", "--cascade", "orphan"])
        #expect(ours.status == 0, "\(ours)")
        #expect(try Self.exists(driver, "scanjob", "ctl-orph-run"))
        #expect(try Self.ownerReferences(driver, job: "ctl-orph-run").isEmpty)
    }

    @Test("deletes made while the controller was down cascade once a controller runs again")
    func cascadeAfterControllerWasDown() throws {
        let server = try StageflowUp(extraArguments: ["--no-run-controllers"])
        defer { _ = server.stop() }
        let data = server.dataDirectory
        let arguments = ["controller", "--server", server.url, "--data-dir", data.path, "--leader-lease-seconds", "3"]
        var controller = try BackgroundProcess(Binaries.stageflow, arguments)
        defer { controller.stop(grace: 5) }
        let driver = ScanDriver(server: server.url, dataDirectory: data)
        #expect(waitUntil(seconds: 60) { (try? driver.ctl(["get", "scanners", "-o", "name"]).stdout.contains("security-headers")) == true })
        try Self.makeOwners(["bg", "orph", "fg"], driver: driver)
        // The running controller puts its cleanup finalizer on the jobs; then it dies.
        #expect(waitUntil(seconds: 60) {
            (try? Self.object(driver, "scanjob", "fg-run"))??[path: ["metadata", "finalizers"]] == ["stageflow.dev/cleanup"]
        })
        kill(controller.process.processIdentifier, SIGKILL)
        controller.process.waitUntilExit()

        #expect(try driver.ctl(["delete", "scanschedule", "bg"]).status == 0)
        #expect(try driver.ctl(["delete", "scanschedule", "orph", "--cascade", "orphan", "--no-wait"]).status == 0)
        #expect(try driver.ctl(["delete", "scanschedule", "fg", "--cascade", "foreground", "--no-wait"]).status == 0)
        // Nobody acts on them yet.
        #expect(try Self.exists(driver, "scanjob", "bg-run"))
        #expect(try Self.exists(driver, "scanschedule", "fg"))
        #expect(try Self.exists(driver, "scanjob", "fg-run"))

        controller = try BackgroundProcess(Binaries.stageflow, arguments)
        let converged = waitUntil(seconds: 90) {
            let gone = ["bg-run", "fg-run"].allSatisfy { (try? Self.exists(driver, "scanjob", $0)) == false }
            let ownersGone = ["fg", "orph"].allSatisfy { (try? Self.exists(driver, "scanschedule", $0)) == false }
            return gone && ownersGone
        }
        #expect(converged, "\(controller.errors.text.suffix(3000))")
        #expect(try Self.exists(driver, "scanjob", "orph-run"))
        #expect(try Self.ownerReferences(driver, job: "orph-run").isEmpty)
    }

    @Test("a controller whose API server stopped past the renew deadline stops, then reconciles again when it comes back")
    func regainAfterServerStop() throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets", "--no-run-controllers"])
        defer { _ = server.stop() }
        let data = server.dataDirectory
        let controller = try BackgroundProcess(
            Binaries.stageflow,
            ["controller", "--server", server.url, "--data-dir", data.path, "--allow-private-targets", "--leader-lease-seconds", "3"])
        defer { controller.stop(grace: 5) }
        let driver = ScanDriver(server: server.url, dataDirectory: data)
        #expect(waitUntil(seconds: 60) { (try? driver.ctl(["get", "scanners", "-o", "name"]).stdout.contains("link-checker")) == true })
        try driver.apply(fixtureScanYAML(name: "before", site: site))
        #expect(try driver.waitFinished("before") == "Done")

        // The API server stops answering for longer than the lease (3 s), then comes back.
        kill(server.server.process.processIdentifier, SIGSTOP)
        Thread.sleep(forTimeInterval: 6)
        kill(server.server.process.processIdentifier, SIGCONT)
        let stopped = waitUntil(seconds: 30) { controller.errors.text.contains("lost the lease") || controller.output.text.contains("lost the lease") }
        #expect(stopped, "the controller did not notice it lost the lease: \(controller.errors.text.suffix(3000))")

        try driver.apply(fixtureScanYAML(name: "after", site: site))
        #expect(try driver.waitFinished("after") == "Done", "\(controller.errors.text.suffix(3000))")
    }

    @Test("stageflow apiserver --object-store serves a job's report page and its screenshot")
    func apiserverServesReports() async throws {
        let cluster = try await PostgresCluster.start()
        defer { cluster.stop() }
        let databaseURL = try await cluster.makeDatabase()
        let objects = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-e2e-objects-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: objects, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: objects) }
        let (server, url) = try startAPIServer(
            ["--database-url", databaseURL, "--listen", "127.0.0.1:0", "--object-store", objects.path, "--insecure-no-auth"])
        defer { server.stop(grace: 5) }
        let driver = ScanDriver(server: url, dataDirectory: objects)
        // Scanners are registered by the controllers; this API server alone accepts them applied by hand.
        let scanners = try temporaryFile(
            "scanners.yaml",
            ["security-headers", "link-checker"].map { id in
                "apiVersion: stageflow.dev/v1alpha1\nkind: Scanner\nmetadata: {name: \(id)}\nspec: {id: \(id), version: 1.0.0, entry: {builtin: \(id)}}\n"
            }.joined(separator: "---\n"))
        #expect(try driver.ctl(["apply", "-f", scanners]).status == 0)
        try driver.apply(scanJobYAML(name: "reported", urls: ["https://example.com/"]))
        let uid = try driver.uid("reported")

        // What a controller would have written: a screenshot and the unified report naming it.
        let artifacts = objects.appendingPathComponent("artifacts/\(uid)")
        try FileManager.default.createDirectory(at: artifacts.appendingPathComponent("seo/screenshots"), withIntermediateDirectories: true)
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 64)
        try png.write(to: artifacts.appendingPathComponent("seo/screenshots/home.png"))
        let results = ScannerResults(
            scanner: "seo", status: .success,
            pages: [ScannedPage(url: "https://example.com/", screenshot: ScreenshotReference(key: "artifacts/\(uid)/seo/screenshots/home.png", width: 1280, height: 800))],
            findings: [ScannerFinding(ruleId: "missing-title", title: "The page has no title", message: "no <title>", severity: .serious, url: "https://example.com/", selector: "html")])
        let report = ReportAggregator().aggregate(
            meta: ReportMeta(jobId: uid, jobName: "reported", baseUrl: "https://example.com/", scannedAt: "2026-01-01T10:00:00Z", completedAt: "2026-01-01T10:01:00Z", durationMs: 60_000),
            results: [results])
        try report.jsonData(pretty: true).write(to: artifacts.appendingPathComponent("report.json"))

        let page = try run("/usr/bin/curl", ["-sS", "-H", "Accept: text/html", "\(url)/scans/default/reported/report"])
        #expect(page.status == 0, "\(page)")
        #expect(page.stdout.contains("The page has no title"), "\(page.stdout.prefix(3000))")
        #expect(!page.stdout.contains("no object store configured"))
        let image = try #require(page.stdout.range(of: "<img src=\"").map { page.stdout[$0.upperBound...].prefix { $0 != "\"" } })
        let fetched = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{content_type}", url + image])
        #expect(fetched.stdout.hasPrefix("200 image/png"), "\(fetched) for \(image)")
    }
}
