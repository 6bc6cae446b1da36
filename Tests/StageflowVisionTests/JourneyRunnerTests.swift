import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowScanner
import Testing

@testable import StageflowVision

/// The journey loop over the in-memory site with a scripted model: how journeys end, what they record, what they
/// cost. (The same loop in real Chromium against the loopback model server is `JourneyInChromiumTests`.)
@Suite("Journey loop")
struct JourneyRunnerTests {
    static func plan(config: JSONValue, urls: [String] = [MemorySite.base + "/"]) -> (ScanPlan, PlannedScanner) {
        let planned = PlannedScanner(
            id: "ai-navigator", version: "1.0.0", entry: ScannerEntry(controller: "vision"), config: config, maxConcurrency: 1,
            timeoutSeconds: nil, memoryMiB: nil, severityMapping: nil)
        let plan = ScanPlan(
            job: PlannedJob(uid: "job-1", namespace: "default", name: "journey"), urls: urls, crawl: nil, allowPrivateTargets: false,
            scanners: [planned], artifactsPrefix: "artifacts/job-1/")
        return (plan, planned)
    }

    static func run(
        _ model: ScriptedModel, config: JSONValue, pages: [MemorySiteBrowser.Page] = MemorySite.shop, secrets: URL? = nil
    ) async throws -> (ScannerResults, MemoryObjectStore) {
        let objects = MemoryObjectStore()
        let (plan, planned) = plan(config: config)
        let runner = JourneyRunner(
            browser: MemorySite.browser(pages), model: model, endpoint: ModelEndpoint(model: "test-model"),
            credentials: CredentialStore(directory: secrets),
            settings: JourneyRunner.Settings(egressPolicy: { _ in nil }))
        let results = try await runner.run(
            JourneyRequest(plan: plan, scanner: planned, evidence: try EvidenceWriter(store: objects, jobUID: "job-1", scanner: "ai-navigator")))
        return (results, objects)
    }

    static let noAxe: JSONValue = false

    @Test("home → product → add to cart → cart shows it: reached, checked by the success check, every step recorded")
    func reached() async throws {
        let model = ScriptedModel(actions: [["type": "click", "index": 1], ["type": "click", "index": 1]])
        let (results, objects) = try await Self.run(
            model, config: ["goal": "put a blue T-shirt in the cart", "success": ["textContains": "1 item"], "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reached)
        #expect(journey.outcome.reason == .goalReached)
        #expect(results.status == .success)
        #expect(journey.steps.map(\.action.type) == ["click", "click"])
        #expect(journey.steps.map(\.url) == [MemorySite.base + "/", MemorySite.base + "/product/blue"])
        #expect(journey.steps[0].target?.locator == "role=link[name=\"Blue T-shirt\"]")
        #expect(journey.steps[1].effect == "loaded \(MemorySite.base)/cart")
        #expect(journey.totals.modelRequests == 2)
        #expect(abs(journey.totals.costUSD - 0.02) < 1e-9)
        #expect(results.findings.isEmpty)
        for step in journey.steps {
            let key = try #require(step.screenshot?.key)
            #expect(key.hasPrefix("artifacts/job-1/ai-navigator/evidence/steps/"))
            #expect(try await objects.exists(key))
        }
        #expect(model.asked.count == 2, "the success check ends the journey without asking the model again")
    }

    @Test("a Continue button that does nothing ends the journey with DeadControl and a finding on its locator")
    func deadControl() async throws {
        let model = ScriptedModel(actions: [["type": "click", "index": 2], ["type": "click", "index": 1], ["type": "click", "index": 1]])
        let (results, _) = try await Self.run(model, config: ["goal": "check out", "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .deadControl)
        #expect(journey.outcome.step == 2)
        #expect(journey.outcome.fault == .site)
        #expect(results.status == .success, "the journey did its job: it found where the site fails")
        let finding = try #require(results.findings.first { $0.ruleId == "dead-control" })
        #expect(finding.selector == "role=button[name=\"Continue\"]")
        #expect(finding.url == MemorySite.base + "/checkout")
        #expect(finding.message.contains("journey step 2"))
        #expect(finding.message.contains("steps/02.jpg"))
        #expect(model.asked.count == 2, "the dead control is seen before asking again")
    }

    @Test("coming back to the same state three times ends the journey with LoopDetected")
    func loop() async throws {
        let model = ScriptedModel(actions: Array(repeating: ["type": "click", "index": 3], count: 6))
        let (results, _) = try await Self.run(model, config: ["goal": "find the opening hours", "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .loopDetected)
        #expect(results.findings.contains { $0.ruleId == "journey-loop" })
    }

    @Test("the step budget stops a journey that would go on; its results are partial")
    func stepBudget() async throws {
        let model = ScriptedModel(actions: Array(repeating: ["type": "scroll", "direction": "down"], count: 10))
        let (results, _) = try await Self.run(model, config: ["goal": "read everything", "maxSteps": 3, "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .budgetExhausted)
        #expect(journey.steps.count == 3)
        #expect(results.status == .partial)
        #expect(results.error?.contains("step budget of 3") == true)
    }

    @Test("the cost budget stops before a step that would exceed it")
    func costBudget() async throws {
        let model = ScriptedModel(actions: Array(repeating: ["type": "scroll", "direction": "down"], count: 10), costPerAnswer: 0.1)
        let (results, _) = try await Self.run(model, config: ["goal": "read everything", "maxCostUSD": 0.25, "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .budgetExhausted)
        #expect(journey.outcome.message.contains("cost budget"))
        #expect(model.asked.count == 2)
        #expect(journey.totals.costUSD <= 0.25)
    }

    @Test("an invalid element number is asked about once more; the second answer is used")
    func reask() async throws {
        let model = ScriptedModel(actions: [["type": "click", "index": 99], ["type": "click", "index": 1], ["type": "done", "success": true, "summary": "ok"]])
        let (results, _) = try await Self.run(model, config: ["goal": "open the T-shirt", "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .goalReached)
        #expect(journey.steps[0].usage.modelRequests == 2)
        let reasked = try #require(model.asked.dropFirst().first)
        #expect(reasked.messages.count == 4)
        #expect(reasked.messages[2].role == "assistant")
        guard case .text(let text) = reasked.messages[3].parts[0] else { Issue.record("no text"); return }
        #expect(text.contains("no element 99"))
    }

    @Test("two invalid answers in a row are an agent error: the scanner fails, and no site finding is made")
    func agentError() async throws {
        let model = ScriptedModel(actions: [["type": "click", "index": 99], ["type": "jump"]])
        let (results, _) = try await Self.run(model, config: ["goal": "buy", "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .agentError)
        #expect(journey.outcome.fault == .agent)
        #expect(results.status == .failed)
        #expect(results.findings.isEmpty)
    }

    @Test("a model that is out of credits fails the journey with that message")
    func outOfCredits() async throws {
        let model = ScriptedModel([.failure(ModelError(.outOfCredits, status: 402, message: "Insufficient credits"))])
        let (results, _) = try await Self.run(model, config: ["goal": "buy", "accessibility": Self.noAxe])
        #expect(results.status == .failed)
        #expect(results.error?.hasPrefix("out of credits") == true)
        #expect(results.journey?.outcome.reason == .modelUnavailable)
    }

    @Test("a done whose success check does not hold is a false done: GoalUnreachable")
    func falseDone() async throws {
        let model = ScriptedModel(actions: [["type": "done", "success": true, "summary": "it is in the cart"]])
        let (results, _) = try await Self.run(
            model, config: ["goal": "put it in the cart", "success": ["urlContains": "/cart"], "accessibility": Self.noAxe])
        let journey = try #require(results.journey)
        #expect(journey.outcome.reason == .goalUnreachable)
        #expect(journey.outcome.message.contains("success check does not hold"))
        #expect(results.findings.contains { $0.ruleId == "goal-unreachable" })
    }

    @Test("credentials are typed from the secret, and neither the model nor the record sees their values")
    func credentials() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"username": "tester", "password": "hunter2-secret"}"#.write(
            to: directory.appendingPathComponent("shop-user.json"), atomically: true, encoding: .utf8)
        let model = ScriptedModel(actions: [
            ["type": "click", "index": 1], ["type": "type", "index": 2, "text": "{{password}}", "submit": false],
            ["type": "done", "success": false, "summary": "stop"],
        ])
        let (results, _) = try await Self.run(
            model, config: ["goal": "log in", "credentials": ["secretRef": "shop-user"], "accessibility": Self.noAxe], secrets: directory)
        let encoded = String(decoding: try JSONEncoder().encode(results), as: UTF8.self)
        #expect(!encoded.contains("hunter2-secret"))
        #expect(results.journey?.steps[1].action.text == "{{password}}")
        let asked = model.asked.map { String(decoding: $0.bodyData, as: UTF8.self) }.joined()
        #expect(!asked.contains("hunter2-secret"))
        #expect(asked.contains("{{password}}, {{username}}"))
    }

    @Test("a secret the controller does not hold fails the journey before it starts, saying so")
    func missingSecret() async throws {
        let (results, _) = try await Self.run(ScriptedModel([]), config: ["goal": "log in", "credentials": ["secretRef": "nobody"]])
        #expect(results.status == .failed)
        #expect(results.error?.contains("--vision-secrets-dir") == true)
    }

    @Test("a configuration without a goal fails with what to give")
    func noGoal() async throws {
        let (results, _) = try await Self.run(ScriptedModel([]), config: ["startUrl": "https://shop.example/"])
        #expect(results.status == .failed)
        #expect(results.error?.contains("goal") == true)
    }
}
