import Foundation
import StageflowTestSupport
import Testing

/// Archive jobs for real: a ZIP uploaded through `POST /api/v1/jobs/zip` of `stageflow up`, extracted and served
/// by `stageflow archive serve` in the job's pod, scanned by the scanner processes, on a server that does NOT
/// permit private targets: the served origin is the one loopback address the job may reach.
@Suite("Archive jobs end to end", .serialized)
struct ArchiveScanEndToEndTests {
    /// Writes a ZIP with Python's zipfile: every file under `directory` at its relative path, plus `extra`
    /// entries named exactly as given (hostile names included).
    func zip(_ directory: String?, extra: [String: String] = [:]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-e2e-\(UUID().uuidString).zip").path
        let extraJSON = String(decoding: try JSONSerialization.data(withJSONObject: extra), as: UTF8.self)
        let script = """
            import json, os, sys, zipfile
            out, root, extra = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                if root:
                    for folder, _, files in os.walk(root):
                        for name in files:
                            path = os.path.join(folder, name)
                            archive.write(path, os.path.relpath(path, root))
                for name, text in extra.items():
                    archive.writestr(name, text)
            """
        let result = try run("/usr/bin/python3", ["-c", script, output, directory ?? "", extraJSON])
        guard result.status == 0 else { throw E2EError("cannot write the ZIP: \(result)") }
        return output
    }

    /// Uploads a ZIP and returns the created job's name.
    func upload(_ server: StageflowUp, _ archive: String, scanners: String) throws -> String {
        let result = try run(
            "/usr/bin/curl",
            ["-sS"] + server.curlAuthorization
                + ["-F", "scanners=\(scanners)", "-F", "file=@\(archive);type=application/zip", "\(server.url)/api/v1/jobs/zip"])
        guard result.status == 0, let body = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            let name = body["name"] as? String
        else { throw E2EError("upload failed: \(result)") }
        return name
    }

    func condition(_ job: [String: Any]?, _ type: String) -> [String: Any]? {
        ((job?["status"] as? [String: Any])?["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == type }
    }

    @Test("a valid ZIP scans like a URL job: its pages on the served loopback origin, the same findings")
    func validArchive() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let archive = try zip(FixtureSite.endToEndFixture("site"))
        let name = try upload(server, archive, scanners: "security-headers,link-checker")
        #expect(try driver.waitFinished(name) == "Done", "\(String(describing: try? driver.job(name)))")
        let job = try driver.job(name)
        #expect(condition(job, "Extracted")?["status"] as? String == "True", "\(String(describing: job))")
        let report = try driver.report(uid: try driver.uid(name))
        let pages = (report["pages"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
        #expect(pages.count >= 2, "\(pages)")
        #expect(pages.allSatisfy { $0.hasPrefix("http://127.0.0.1:") }, "\(pages)")
        #expect(pages.contains { $0.hasSuffix("/about/") }, "\(pages)")
        // The findings the URL job of the same site reports (ScanEndToEndTests.processRuntime).
        let rules = Set((report["issues"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String })
        #expect(rules.contains { $0.contains("broken") }, "rules: \(rules)")
        #expect(rules.contains { $0.contains("anchor") }, "rules: \(rules)")
        let errors = report["errors"] as? [Any] ?? []
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("on Podman: the archive container serves in its own network namespace, the scanners join it, no host network")
    func validArchiveInPodman() throws {
        let podman = try PodmanService.shared()
        let server = try StageflowUp(extraArguments: ["--runtime", "podman", "--podman-socket", podman.socketPath])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let name = try upload(server, try zip(FixtureSite.endToEndFixture("site")), scanners: "link-checker")
        #expect(try driver.waitFinished(name) == "Done", "\(String(describing: try? driver.job(name)))")
        let report = try driver.report(uid: try driver.uid(name))
        let rules = Set((report["issues"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String })
        #expect(rules.contains { $0.contains("broken") }, "rules: \(rules)")
        #expect(rules.contains { $0.contains("anchor") }, "rules: \(rules)")
    }

    @Test("a hostile ZIP fails the job with UnsafeArchive naming the check, and nothing lands outside its workspace")
    func hostileArchive() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let archive = try zip(nil, extra: ["index.html": "<html><title>x</title></html>", "../../../../../escaped.html": "gotcha"])
        let name = try upload(server, archive, scanners: "security-headers")
        #expect(try driver.waitFinished(name) == "Failed", "\(String(describing: try? driver.job(name)))")
        let job = try driver.job(name)
        let failed = condition(job, "Failed")
        #expect(failed?["reason"] as? String == "UnsafeArchive", "\(String(describing: job))")
        #expect((failed?["message"] as? String)?.contains("pathTraversal") == true, "\(String(describing: failed))")
        #expect(condition(job, "Extracted")?["status"] as? String == "False")
        let escaped = FileManager.default.enumerator(atPath: server.dataDirectory.path)?
            .compactMap { $0 as? String }.filter { $0.hasSuffix("escaped.html") } ?? []
        #expect(escaped.isEmpty, "\(escaped)")
    }

    @Test("a ZIP without an HTML page fails with ExtractionFailed saying so")
    func archiveWithoutPages() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let name = try upload(server, try zip(nil, extra: ["style.css": "body { color: red }"]), scanners: "security-headers")
        #expect(try driver.waitFinished(name) == "Failed", "\(String(describing: try? driver.job(name)))")
        let failed = condition(try driver.job(name), "Failed")
        #expect(failed?["reason"] as? String == "ExtractionFailed", "\(String(describing: failed))")
        #expect((failed?["message"] as? String)?.contains("no HTML page") == true, "\(String(describing: failed))")
    }
}
