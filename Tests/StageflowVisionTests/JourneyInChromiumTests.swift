import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowScanner
import StageflowTestSupport
import Testing

@testable import StageflowVision

/// The journey loop for real: headless Chromium (confined, every tab behind its egress proxy), a fixture shop on
/// loopback, and the loopback OpenAI-compatible model server reached over libcurl, which reads the element list
/// it is sent and picks by a scripted policy.
@Suite("Journeys in Chromium", .serialized)
struct JourneyInChromiumTests {
    static let isAvailable = ["chromium", "chromium-browser", "google-chrome"].contains { Binaries.onPath($0) != nil }
    static let axeAvailable = FileManager.default.fileExists(atPath: "/usr/local/share/stageflow/axe/axe.min.js")
        || ProcessInfo.processInfo.environment["STAGEFLOW_AXE_SCRIPT"] != nil
    static let key = "sk-or-v1-journeytest-0d9c8b7a6f5e4d3c2b1a"

    /// One journey's world: the site, the model server, the browser, the store.
    final class World: @unchecked Sendable {
        let site: LoopbackHTTPServer
        let model: ModelTestServer
        let browser: ChromiumBrowser
        let directory: URL
        let objects: FilesystemObjectStore
        let waits = ModelClientTests.Waits()

        init(costPerRequest: Double = 0.001, policy: @escaping ModelTestServer.Policy) async throws {
            site = try await LoopbackHTTPServer.site(ShopFixture.routes)
            model = try await ModelTestServer.start(costPerRequest: costPerRequest, policy: policy)
            browser = try await ChromiumBrowser.launch(confined: true)
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-journey-\(UUID().uuidString)")
            objects = try FilesystemObjectStore(root: directory)
        }

        func walk(_ config: JSONValue, uid: String = "job-\(UUID().uuidString.prefix(8).lowercased())") async throws -> ScannerResults {
            var config = config
            if config["accessibility"] == nil { config["accessibility"] = false }
            let planned = PlannedScanner(
                id: "ai-navigator", version: "1.0.0", entry: ScannerEntry(controller: "vision"), config: config, maxConcurrency: 1,
                timeoutSeconds: nil, memoryMiB: nil, severityMapping: nil)
            let plan = ScanPlan(
                job: PlannedJob(uid: uid, namespace: "default", name: "journey"), urls: [site.baseURL + "/"], crawl: nil,
                allowPrivateTargets: true, scanners: [planned], artifactsPrefix: "artifacts/\(uid)/")
            let endpoint = ModelEndpoint(baseURL: URL(string: model.baseURL)!, model: "test/vision-model", apiKey: APIKey(JourneyInChromiumTests.key))
            let client = OpenAIModelClient(endpoint: endpoint, sleep: waits.sleep)
            let runner = JourneyRunner(browser: browser, model: client, endpoint: endpoint)
            return try await runner.run(
                JourneyRequest(plan: plan, scanner: planned, evidence: try EvidenceWriter(store: objects, jobUID: uid, scanner: "ai-navigator")))
        }

        func close() async {
            await browser.close()
            site.stop()
            model.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        /// Every stored file's bytes, for scanning.
        func storedFiles() -> [(String, Data)] {
            let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
            var files: [(String, Data)] = []
            while let url = enumerator?.nextObject() as? URL {
                if let data = FileManager.default.contents(atPath: url.path) { files.append((url.path, data)) }
            }
            return files
        }
    }

    @Test(
        "(a) home → product → add to cart → the cart shows it: the goal is reached",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func reached() async throws {
        let world = try await World(policy: ModelTestServer.script([.click("Blue T-shirt"), .click("Add to cart"), .done(success: true, summary: "in the cart")]))
        defer { Task { await world.close() } }
        let results = try await world.walk(["goal": "put a blue T-shirt in the cart", "success": ["textContains": "1 item in your cart"]])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reached, "\(journey.outcome)")
        #expect(journey.outcome.reason == .goalReached)
        #expect(journey.steps.count == 2)
        #expect(journey.steps[0].target?.locator == "role=link[name=\"Blue T-shirt\"]")
        #expect(journey.steps[1].target?.locator == "role=button[name=\"Add to cart\"]")
        #expect(journey.steps[1].effect.contains("/cart"))
        #expect(world.model.received.count == 2)
        let first = try #require(world.model.received.first)
        #expect(first.goal == "put a blue T-shirt in the cart")
        #expect(first.element(named: "Blue T-shirt") != nil)
        for step in journey.steps {
            let data = try await world.objects.get(try #require(step.screenshot?.key))
            #expect(data.prefix(2) == Data([0xFF, 0xD8]), "step screenshots are JPEGs")
        }
        #expect(results.status == .success)
        #expect(results.pages.map(\.url).contains(world.site.baseURL + "/product/blue"))
    }

    @Test(
        "(b) a Continue button that does nothing yields DeadControl and stops",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func deadControl() async throws {
        let world = try await World(policy: ModelTestServer.script([.click("Continue"), .click("Continue"), .click("Continue")]))
        defer { Task { await world.close() } }
        let results = try await world.walk(["goal": "check out", "startUrl": .string(world.site.baseURL + "/checkout")])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .deadControl, "\(journey.outcome)")
        #expect(journey.outcome.step == 1)
        #expect(world.model.received.count == 1, "stopped without asking again")
        let finding = try #require(results.findings.first { $0.ruleId == "dead-control" })
        #expect(finding.selector == "role=button[name=\"Continue\"]")
        #expect(finding.message.contains("journey step 1"))
    }

    @Test(
        "(c) a link that redirects to a blocked address is blocked and recorded",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func blockedRedirect() async throws {
        let world = try await World(policy: ModelTestServer.script([.click("My account"), .done(success: false, summary: "the account page does not open")]))
        defer { Task { await world.close() } }
        let results = try await world.walk(["goal": "open my account"])
        let journey = try #require(results.journey)
        let first = try #require(journey.steps.first)
        #expect(first.blocked?.contains { $0.contains("169.254.169.254") } == true, "\(first)")
        #expect(first.effect.contains("blocked"))
        let finding = try #require(results.findings.first { $0.ruleId == "blocked-request" })
        #expect(finding.selector?.contains("169.254.169.254") == true)
        #expect(journey.outcome.reason == .goalUnreachable)
    }

    @Test(
        "(d) 429 with Retry-After: 1, then success: retried after the second asked for",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func rateLimited() async throws {
        let script = ModelTestServer.script([.click("Blue T-shirt"), .click("Add to cart")])
        let world = try await World { request in
            request.number == 1 ? .status(429, message: "rate limited", headers: [("Retry-After", "1")]) : script(request)
        }
        defer { Task { await world.close() } }
        let results = try await world.walk(["goal": "put a blue T-shirt in the cart", "success": ["textContains": "1 item"]])
        #expect(results.journey?.outcome.reached == true)
        #expect(world.model.received.count == 3)
        #expect(world.waits.asked == [.seconds(1)])
        #expect(results.journey?.steps.first?.usage.modelRequests == 2)
    }

    @Test(
        "(f) the cost budget stops a journey that would go on",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func costBudget() async throws {
        let world = try await World(costPerRequest: 0.1, policy: ModelTestServer.script(Array(repeating: .click("Next page"), count: 30)))
        defer { Task { await world.close() } }
        let results = try await world.walk(["goal": "read to the end", "startUrl": .string(world.site.baseURL + "/p/1"), "maxCostUSD": 0.25])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .budgetExhausted)
        #expect(journey.outcome.message.contains("cost budget"))
        #expect(world.model.received.count == 2)
        #expect(results.status == .partial)
    }

    @Test(
        "(g) an invalid action index is re-asked once",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func invalidIndex() async throws {
        let script = ModelTestServer.script([.click("Blue T-shirt"), .click("Add to cart")])
        let world = try await World { request in
            request.number == 1 ? .action(thought: "the 99th", action: ["type": "click", "index": 99]) : script(request)
        }
        defer { Task { await world.close() } }
        let results = try await world.walk(["goal": "put a blue T-shirt in the cart", "success": ["textContains": "1 item"]])
        #expect(results.journey?.outcome.reached == true)
        let received = world.model.received
        #expect(received.count == 3)
        #expect(received[1].isReask)
        let reask = try #require(received[1].body?["messages"] as? [[String: Any]])
        #expect((reask.last?["content"] as? String)?.contains("no element 99") == true)
        #expect(!received[0].isReask && !received[2].isReask)
    }

    @Test(
        "(i) what the model server received is OpenAI/OpenRouter's format, and the key is in no artifact",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func wireFormatAndKey() async throws {
        let world = try await World(policy: ModelTestServer.script([.click("Blue T-shirt"), .click("Add to cart")]))
        defer { Task { await world.close() } }
        let results = try await world.walk(["goal": "put a blue T-shirt in the cart", "success": ["textContains": "1 item"]])
        #expect(results.journey?.outcome.reached == true)
        for request in world.model.received {
            #expect(request.raw.path == "/v1/chat/completions")
            #expect(request.raw.header("authorization") == "Bearer \(Self.key)")
            let body = try #require(request.body)
            #expect((body["response_format"] as? [String: Any])?["type"] as? String == "json_schema")
            let messages = try #require(body["messages"] as? [[String: Any]])
            #expect(messages.first?["role"] as? String == "system")
            let parts = try #require(messages[1]["content"] as? [[String: Any]])
            let url = try #require((parts.first { $0["type"] as? String == "image_url" }?["image_url"] as? [String: Any])?["url"] as? String)
            #expect(url.hasPrefix("data:image/jpeg;base64,"))
            let jpeg = try #require(Data(base64Encoded: String(url.dropFirst(23))))
            #expect(jpeg.prefix(2) == Data([0xFF, 0xD8]))
            #expect(request.raw.body.count < 150_000, "a step's request is \(request.raw.body.count) bytes")
        }
        var encoded = try JSONEncoder().encode(results)
        for (_, data) in world.storedFiles() { encoded.append(data) }
        #expect(!encoded.isEmpty)
        #expect(encoded.range(of: Data(Self.key.utf8)) == nil, "the API key appears in the results or an artifact")
    }

    @Test(
        "two identical journeys give the same fingerprints (stable locators), axe findings of the states visited included",
        .enabled(if: isAvailable, "no chromium on PATH"))
    func stableFingerprints() async throws {
        var reports: [Report] = []
        for run in 0..<2 {
            let world = try await World(policy: ModelTestServer.script([.click("Checkout"), .click("Continue"), .click("Continue")]))
            var results = try await world.walk(["goal": "check out", "accessibility": .bool(Self.axeAvailable)], uid: "job-run\(run)")
            await world.close()
            results.timings = ScannerTimings(startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:10Z", durationMs: 10_000)
            // Both sites served on different ports: compare as if both were the same origin.
            let encoded = String(decoding: try JSONEncoder().encode(results), as: UTF8.self)
                .replacingOccurrences(of: world.site.baseURL.replacingOccurrences(of: "/", with: "\\/"), with: "https:\\/\\/shop.example")
                .replacingOccurrences(of: world.site.baseURL, with: "https://shop.example")
            let normalised = try JSONDecoder().decode(ScannerResults.self, from: Data(encoded.utf8))
            let meta = ReportMeta(
                jobId: "job", jobName: "journey", baseUrl: "https://shop.example/", scannedAt: "2026-01-01T00:00:00Z",
                completedAt: "2026-01-01T00:00:10Z", durationMs: 10_000)
            reports.append(ReportAggregator().aggregate(meta: meta, results: [normalised]))
        }
        let first = Set(reports[0].issues.map(\.id))
        #expect(first.count >= 1)
        #expect(first == Set(reports[1].issues.map(\.id)))
        #expect(reports[0].issues.contains { $0.ruleId == "dead-control" })
        if Self.axeAvailable {
            #expect(reports[0].issues.contains { $0.scanner == "ai-navigator" && $0.ruleId != "dead-control" }, "axe ran on the journey's states")
        }
        #expect(reports[0].journeys?.first?.outcome.reason == .deadControl)
    }
}
