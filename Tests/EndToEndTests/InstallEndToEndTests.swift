import Foundation
import StageflowTestSupport
import Testing

/// Stageflow as a new user installs it: a binary copied alone somewhere else, `scripts/install` under a prefix,
/// `stageflow version` and `stageflow doctor`.
@Suite("Install", .serialized)
struct InstallEndToEndTests {
    /// The seven built-in scanners (lighthouse is an exec plugin: it needs the lighthouse CLI).
    static let builtins = ["axe", "link-checker", "open-graph", "performance", "security-headers", "seo", "spelling"]

    static let browserAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        && FileManager.default.fileExists(atPath: "/usr/local/share/stageflow/axe/axe.min.js")

    /// A copy of the built `stageflow` alone in a fresh directory: no manifests beside or above it.
    static func lonelyBinary() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent("stageflow")
        try FileManager.default.copyItem(atPath: Binaries.stageflow, toPath: copy.path)
        return copy
    }

    @Test(
        "a binary copied alone registers every built-in scanner and runs a full default scan",
        .enabled(if: browserAvailable, "needs Debian's chromium and axe.min.js (scripts/install-dependencies)"))
    func copiedAlone() throws {
        let binary = try Self.lonelyBinary()
        defer { try? FileManager.default.removeItem(at: binary.deletingLastPathComponent()) }
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"], executable: binary.path)
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)

        var registered: [String] = []
        _ = waitUntil(seconds: 30) {
            registered = ((try? driver.ctl(["get", "scanners", "-o", "name"]).stdout) ?? "").split(separator: "\n").map {
                String($0.split(separator: "/").last ?? "")
            }
            return registered.count >= Self.builtins.count + 2
        }
        // The seven built-ins, the lighthouse plugin's manifest and the vision agent (run by its own controller).
        #expect(Set(registered) == Set(Self.builtins + ["lighthouse", "ai-navigator"]), "\(registered)")
        let axe = try driver.ctl(["get", "scanner", "axe", "-o", "json"])
        #expect(axe.stdout.contains("builtin:axe.yaml"), "the source names the compiled-in manifest: \(axe.stdout)")

        try driver.apply(
            """
            apiVersion: stageflow.dev/v1alpha1
            kind: ScanJob
            metadata:
              name: everything
            spec:
              allowPrivateTargets: true
              target:
                urls:
                  - \(site.baseURL)/
                  - \(site.baseURL)/about/
              scanners:
            \(Self.builtins.map { "    - name: \($0)" }.joined(separator: "\n"))
            """)
        #expect(try driver.waitFinished("everything", seconds: 300) == "Done", "\(String(describing: try? driver.job("everything")))")
        let status = try #require(try driver.job("everything"))["status"] as? [String: Any] ?? [:]
        let states = Dictionary(
            (status["scanners"] as? [[String: Any]] ?? []).map { (($0["name"] as? String) ?? "", $0["state"] as? String ?? "") },
            uniquingKeysWith: { first, _ in first })
        #expect(states == Dictionary(uniqueKeysWithValues: Self.builtins.map { ($0, "Succeeded") }), "\(status)")
        let report = try driver.report(uid: try driver.uid("everything"))
        let reported = Set((report["scanners"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(reported == Set(Self.builtins))
    }

    @Test("an empty or missing --manifests-dir stops start-up and says where it looked")
    func emptyManifestsDirectory() throws {
        let binary = try Self.lonelyBinary()
        defer { try? FileManager.default.removeItem(at: binary.deletingLastPathComponent()) }
        let empty = binary.deletingLastPathComponent().appendingPathComponent("no-manifests")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let data = binary.deletingLastPathComponent().appendingPathComponent("data")
        for (directory, why) in [(empty.path, "holds no"), (empty.path + "-missing", "does not exist")] {
            let refused = try run(
                binary.path, ["up", "--data-dir", data.path, "--listen", "127.0.0.1:0", "--manifests-dir", directory])
            #expect(refused.status != 0, "\(refused)")
            #expect(refused.stderr.contains("no scanner manifests to register"), "\(refused)")
            #expect(refused.stderr.contains(directory) && refused.stderr.contains(why), "\(refused)")
            #expect(!refused.stdout.contains("serving at"), "nothing listened: \(refused)")
        }
    }

    @Test("stageflow --version and stageflow version name the release and the built-in scanners")
    func version() throws {
        let short = try run(Binaries.stageflow, ["--version"])
        #expect(short.status == 0, "\(short)")
        let release = short.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(release.split(separator: ".").count == 3 && release.allSatisfy { $0.isNumber || $0 == "." }, "\(short)")
        let long = try run(Binaries.stageflow, ["version"])
        #expect(long.status == 0, "\(long)")
        #expect(long.stdout.contains("stageflow \(release)"))
        #expect(long.stdout.contains("stageflow.dev/v1alpha1"))
        for scanner in Self.builtins { #expect(long.stdout.contains(scanner), "\(scanner) in \(long.stdout)") }
    }

    @Test("scripts/install puts binaries, units, CRDs and the lighthouse plugin under a prefix, and they work from there")
    func installUnderPrefix() throws {
        let stage = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stage) }
        let prefix = "/opt/stageflow-test"
        let installed = try run(
            "/bin/bash", ["scripts/install", "--prefix", prefix, "--destdir", stage.path, "--bin-dir", Binaries.directory.path])
        #expect(installed.status == 0, "\(installed)")
        let root = stage.appendingPathComponent(String(prefix.dropFirst()))
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) }
        for path in [
            "bin/stageflow", "bin/stageflowctl", "share/stageflow/crds/scanjobs.stageflow.dev.yaml",
            "share/stageflow/plugins/lighthouse.yaml", "share/stageflow/plugins/lighthouse/lighthouse.py",
            "lib/systemd/system/stageflow.service", "lib/systemd/system/stageflow-apiserver.service",
            "share/stageflow/deploy/podman/containers.conf", "share/doc/stageflow/README.md",
        ] {
            #expect(exists(path), "\(path) installed")
        }
        #expect(!exists("share/stageflow/manifests"), "the built-in manifests are compiled in, not installed")
        let unit = try String(contentsOf: root.appendingPathComponent("lib/systemd/system/stageflow.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=\(prefix)/bin/stageflow up"), "\(unit)")
        #expect(unit.contains("STAGEFLOW_PLUGIN_DIRS=\(prefix)/share/stageflow/plugins"), "\(unit)")
        let plugin = try String(contentsOf: root.appendingPathComponent("share/stageflow/plugins/lighthouse.yaml"), encoding: .utf8)
        #expect(plugin.contains("\(prefix)/share/stageflow/plugins/lighthouse/lighthouse.py"), "\(plugin)")

        // The installed binary, with the installed plugin directory, registers the built-ins and lighthouse from
        // the plugin directory (its absolute command wins over the compiled-in relative one).
        let stageflow = root.appendingPathComponent("bin/stageflow").path
        let doctor = try run(
            stageflow,
            ["doctor", "--data-dir", stage.appendingPathComponent("data").path, "--plugin-dir",
             root.appendingPathComponent("share/stageflow/plugins").path])
        #expect(doctor.stdout.contains("scanners") && doctor.stdout.contains("9 registered"), "\(doctor)")
    }

    @Test("stageflow doctor prints one line per check and, for a failure, the fix and exit 1")
    func doctor() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-doctor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let healthy = try run(Binaries.stageflow, ["doctor", "--data-dir", data.path])
        let lines = healthy.stdout.split(separator: "\n").map(String.init)
        for check in ["chromium", "axe-core", "hunspell", "scanners", "podman", "object store", "database"] {
            #expect(lines.contains { $0.dropFirst(6).hasPrefix(check) }, "a line for \(check): \(healthy)")
        }
        #expect(lines.contains { $0.hasPrefix("skip") && $0.contains("podman") }, "podman is not needed by the process runtime")
        #expect(lines.contains { $0.hasPrefix("ok") && $0.contains("object store") && $0.contains("probe object") }, "\(healthy)")
        if Self.browserAvailable {
            #expect(healthy.status == 0, "\(healthy)")
        }

        let broken = try run(
            Binaries.stageflow,
            ["doctor", "--data-dir", data.path, "--runtime", "podman", "--podman-socket", data.appendingPathComponent("none.sock").path],
            environment: ["STAGEFLOW_CHROMIUM": "/nonexistent/chromium", "STAGEFLOW_AXE_SCRIPT": "/nonexistent/axe.min.js"])
        #expect(broken.status == 1, "\(broken)")
        let failed = broken.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failed.contains { $0.contains("chromium") && $0.contains("fix: ") && $0.contains("STAGEFLOW_CHROMIUM") }, "\(broken)")
        #expect(failed.contains { $0.contains("axe-core") && $0.contains("fix: ") }, "\(broken)")
        #expect(failed.contains { $0.contains("podman") && $0.contains("podman system service") }, "\(broken)")
        #expect(broken.stdout.contains("checks failed"), "\(broken)")
    }
}
