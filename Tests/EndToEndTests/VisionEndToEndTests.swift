import Foundation
import StageflowTestSupport
import Testing

/// The vision agent through the real processes: `stageflow up` (with the agent in-process, or without it and a
/// separate `stageflow vision`), headless Chromium, the fixture shop and the loopback model server on loopback, and
/// `stageflowctl` reading the report.
@Suite("Vision agent end to end", .serialized)
struct VisionEndToEndTests {
    static let isAvailable = ["chromium", "chromium-browser", "google-chrome"].contains { Binaries.onPath($0) != nil }
    static let key = "sk-or-v1-e2e-7c6b5a4f3e2d1c0b9a8f7e6d"

    /// A key file and the flags that configure the agent against `model`.
    static func visionArguments(_ model: ModelTestServer) throws -> [String] {
        let keyFile = try temporaryFile("vision-key", key + "\n")
        return ["--vision-model", "test/vision-model", "--vision-base-url", model.baseURL, "--vision-api-key-file", keyFile]
    }

    static func journeyYAML(
        name: String, site: LoopbackHTTPServer, goal: String, start: String, extraScanners: [String] = [], baseline: String? = nil
    ) -> String {
        var lines = [
            "apiVersion: stageflow.dev/v1alpha1", "kind: ScanJob", "metadata:", "  name: \(name)", "spec:", "  allowPrivateTargets: true",
        ]
        if let baseline { lines += ["  baselineRef:", "    name: \(baseline)"] }
        lines += ["  target:", "    urls:", "      - \(site.baseURL)/", "  scanners:"]
        lines += extraScanners.map { "    - name: \($0)" }
        lines += [
            "    - name: ai-navigator", "      config:", "        goal: \(goal)", "        startUrl: \(site.baseURL)\(start)",
            "        maxSteps: 6",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every file under `directory`, for scanning.
    static func files(under directory: URL) -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        var files: [(String, Data)] = []
        while let url = enumerator?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: url.path)
            {
                files.append((url.path, data))
            }
        }
        return files
    }

    static func scanner(_ job: [String: Any]?, _ name: String) -> [String: Any]? {
        ((job?["status"] as? [String: Any])?["scanners"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    @Test(
        "(e) 402 fails ai-navigator with \"out of credits\" and the job is Done with the other scanners' results; the key is nowhere",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func outOfCredits() async throws {
        let site = try await LoopbackHTTPServer.site(ShopFixture.routes)
        defer { site.stop() }
        let model = try await ModelTestServer.start { _ in .status(402, message: "Insufficient credits. Add more using https://openrouter.ai/credits", headers: []) }
        defer { model.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"] + Self.visionArguments(model), environment: ["OPENROUTER_API_KEY": ""])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try driver.apply(Self.journeyYAML(name: "credits", site: site, goal: "put a blue T-shirt in the cart", start: "/", extraScanners: ["seo"]))
        #expect(try driver.waitFinished("credits") == "Done")
        let job = try driver.job("credits")
        let journey = try #require(Self.scanner(job, "ai-navigator"))
        #expect(journey["state"] as? String == "Failed")
        #expect((journey["message"] as? String)?.contains("out of credits") == true, "\(journey)")
        #expect(Self.scanner(job, "seo")?["state"] as? String == "Succeeded")
        #expect(model.received.count == 1, "402 is not retried")
        let report = try driver.report(uid: try driver.uid("credits"))
        #expect((report["issues"] as? [[String: Any]])?.contains { $0["scanner"] as? String == "seo" } == true)

        _ = server.stop(keepData: true)
        defer { try? FileManager.default.removeItem(at: server.dataDirectory) }
        var haystack = Data(server.server.output.text.utf8) + Data(server.server.errors.text.utf8)
        for (_, data) in Self.files(under: server.dataDirectory) where !data.isEmpty { haystack.append(data) }
        let files = Self.files(under: server.dataDirectory).map(\.0)
        #expect(files.contains { $0.hasSuffix("ai-navigator/results.json") })
        #expect(haystack.range(of: Data(Self.key.utf8)) == nil, "the API key appears in the logs, the database or an artifact")
    }

    @Test(
        "a journey's findings are in stageflowctl report as JSON, an HTML filmstrip and SARIF, with steps and screenshots; a second identical run has the same fingerprints",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func reportAndBaseline() async throws {
        let site = try await LoopbackHTTPServer.site(ShopFixture.routes)
        defer { site.stop() }
        let model = try await ModelTestServer.start(policy: ModelTestServer.script([.click("Continue"), .click("Continue"), .click("Continue")]))
        defer { model.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"] + Self.visionArguments(model))
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try driver.apply(Self.journeyYAML(name: "checkout-1", site: site, goal: "check out", start: "/checkout"))
        #expect(try driver.waitFinished("checkout-1") == "Done")
        try driver.apply(Self.journeyYAML(name: "checkout-2", site: site, goal: "check out", start: "/checkout", baseline: "checkout-1"))
        #expect(try driver.waitFinished("checkout-2") == "Done")

        let json = try driver.ctl(["report", "checkout-1", "-o", "json"])
        #expect(json.status == 0, "\(json)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let journeys = try #require(report["journeys"] as? [[String: Any]])
        #expect((journeys.first?["outcome"] as? [String: Any])?["reason"] as? String == "DeadControl")
        let steps = try #require(journeys.first?["steps"] as? [[String: Any]])
        #expect(((steps.first?["screenshot"] as? [String: Any])?["key"] as? String)?.hasSuffix("steps/01.jpg") == true)
        let issues = try #require(report["issues"] as? [[String: Any]])
        let dead = try #require(issues.first { $0["ruleId"] as? String == "dead-control" })
        #expect((dead["message"] as? String)?.contains("journey step 1") == true)
        #expect(((dead["occurrences"] as? [[String: Any]])?.first?["selector"] as? String) == "role=button[name=\"Continue\"]")

        let html = try driver.ctl(["report", "checkout-1", "-o", "html"])
        #expect(html.status == 0, "\(html)")
        #expect(html.stdout.contains("<h2 id=\"journeys-title\">Journeys</h2>"))
        #expect(html.stdout.contains("Not reached: DeadControl"))
        #expect(html.stdout.contains("<img src=\"data:image/jpeg;base64,"), "the step screenshots are embedded")

        let sarif = try driver.ctl(["report", "checkout-1", "-o", "sarif"])
        #expect(sarif.status == 0, "\(sarif)")
        #expect(sarif.stdout.contains("ai-navigator/dead-control"))
        #expect(sarif.stdout.contains("journey step 1"))
        #expect(sarif.stdout.contains("steps/01.jpg"))

        let first = try driver.fingerprints(uid: try driver.uid("checkout-1"))
        let second = try driver.fingerprints(uid: try driver.uid("checkout-2"))
        #expect(!first.isEmpty)
        func described(_ name: String) throws -> [String] {
            (try driver.report(uid: try driver.uid(name))["issues"] as? [[String: Any]] ?? []).map { issue in
                let selector = (issue["occurrences"] as? [[String: Any]])?.first?["selector"] as? String ?? ""
                return "\(issue["id"] ?? "") \(issue["ruleId"] ?? "") \(selector): \(issue["message"] ?? "")"
            }
        }
        let (one, two) = (try described("checkout-1"), try described("checkout-2"))
        #expect(first == second, "\(one)\nvs\n\(two)")
        let diff = try driver.ctl(["diff", "checkout-2", "--baseline", "checkout-1"])
        #expect(diff.status == 0, "no new issues: \(diff)")
    }

    @Test(
        "(h) kill -9 of the vision controller mid-journey: a restarted one starts the journey over once, and the job finishes with one results.json",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func killVisionController() async throws {
        let site = try await LoopbackHTTPServer.site(ShopFixture.routes)
        defer { site.stop() }
        let model = try await ModelTestServer.start(latency: .milliseconds(700), policy: ModelTestServer.script(Array(repeating: .click("Next page"), count: 10)))
        defer { model.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"])
        defer { _ = server.stop() }
        let data = server.dataDirectory
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-vision-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let arguments = ["vision", "--server", server.url, "--data-dir", data.path, "--leader-lease-seconds", "3"] + (try Self.visionArguments(model))
        // The browser's profile lives under TMPDIR: its processes can be found (and stopped) by that path.
        let environment = ["TMPDIR": scratch.path]
        var vision = try BackgroundProcess(Binaries.stageflow, arguments, environment: environment)
        defer { Self.end(vision, signal: SIGKILL) }
        let driver = ScanDriver(server: server.url, dataDirectory: data)
        #expect(vision.errors.wait(for: "became the leader", seconds: 60), "\(vision.errors.text.suffix(2000))")

        try driver.apply(Self.journeyYAML(name: "killed", site: site, goal: "read to the end", start: "/p/1"))
        let uid = try await waitForUID(driver, "killed")
        let progress = data.appendingPathComponent("objects/artifacts/\(uid)/ai-navigator/progress.json")
        let walking = waitUntil(seconds: 90) {
            guard let data = FileManager.default.contents(atPath: progress.path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return false }
            return (object["step"] as? Int ?? 0) >= 1
        }
        #expect(walking, "the journey did not get under way: \(vision.errors.text.suffix(2000))")
        Self.end(vision, signal: SIGKILL)
        for pid in processes(mentioning: scratch.path) { kill(pid, SIGKILL) }
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("objects/artifacts/\(uid)/ai-navigator/results.json").path))

        vision = try BackgroundProcess(Binaries.stageflow, arguments, environment: environment)
        #expect(try driver.waitFinished("killed", seconds: 240) == "Done", "\(vision.errors.text.suffix(3000))")
        let resultsFiles = Self.files(under: data.appendingPathComponent("objects/artifacts/\(uid)")).map(\.0).filter { $0.hasSuffix("/results.json") }
        #expect(resultsFiles.count == 1, "\(resultsFiles)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultsFiles[0]))) as? [String: Any])
        #expect((results["journey"] as? [String: Any])?["attempt"] as? Int == 2)
        #expect((results["error"] as? String)?.contains("started over") == true)
        let firstSteps = model.received.filter { $0.step == 1 }
        #expect(firstSteps.count == 2, "the journey was walked from its start twice")
        Self.end(vision, signal: SIGTERM)
        let leftovers = waitUntil(seconds: 30) { processes(mentioning: scratch.path).isEmpty }
        #expect(leftovers, "browser processes left: \(processes(mentioning: scratch.path))")
    }

    @Test("without a model endpoint, ai-navigator is skipped with what to configure, and the job is Done with the others")
    func skippedWithoutEndpoint() async throws {
        let site = try await LoopbackHTTPServer.site(ShopFixture.routes)
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"], environment: ["OPENROUTER_API_KEY": ""])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try driver.apply(Self.journeyYAML(name: "unconfigured", site: site, goal: "buy", start: "/", extraScanners: ["seo"]))
        #expect(try driver.waitFinished("unconfigured") == "Done")
        let journey = try #require(Self.scanner(try driver.job("unconfigured"), "ai-navigator"))
        #expect(journey["state"] as? String == "Skipped")
        #expect((journey["message"] as? String)?.contains("--vision-model") == true)
        #expect(server.server.errors.text.contains("the vision agent is off") || server.server.output.text.contains("the vision agent is off"))
    }

    /// Sends `signal` to the process and waits (bounded) until it has ended, as `/proc` shows it (gone, or a zombie):
    /// Foundation does not always reap a child killed while its own children live on, so `waitUntilExit` can hang.
    static func end(_ process: BackgroundProcess, signal: Int32) {
        let pid = process.process.processIdentifier
        kill(pid, signal)
        let ended = waitUntil(seconds: 20) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
                return true
            }
            return stat[stat.index(close, offsetBy: 2)] == "Z"
        }
        if !ended { kill(pid, SIGKILL) }
    }

    private func waitForUID(_ driver: ScanDriver, _ name: String) async throws -> String {
        var uid: String?
        _ = waitUntil(seconds: 30) {
            uid = try? driver.uid(name)
            return uid != nil
        }
        return try #require(uid)
    }
}
