import Foundation
import StageflowAPI
import StageflowTestSupport
import Testing

@testable import StageflowVision

/// The model client over libcurl against the loopback OpenAI-compatible test server.
@Suite("Model client")
struct ModelClientTests {
    static let key = "sk-test-4f1c2a9e7b3d5e6f8091a2b3c4d5e6f7"

    /// Records the waits asked for between attempts (and waits them, briefly).
    final class Waits: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Duration] = []
        var asked: [Duration] { lock.withLock { list } }
        func sleep(_ duration: Duration) async throws {
            lock.withLock { list.append(duration) }
            try await Task.sleep(for: min(duration, .milliseconds(50)))
        }
    }

    static func client(_ server: ModelTestServer, waits: Waits = Waits(), maxAttempts: Int = 4) -> OpenAIModelClient {
        let endpoint = ModelEndpoint(
            baseURL: URL(string: server.baseURL)!, model: "test/vision-model", apiKey: APIKey(key), referer: "https://stageflow.dev",
            title: "Stageflow")
        return OpenAIModelClient(
            endpoint: endpoint, retry: ModelRetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(10)), sleep: waits.sleep)
    }

    static func request(image: Data = Data([0xFF, 0xD8, 0xFF, 0xD9])) -> ChatRequest {
        ChatRequest(
            model: "test/vision-model",
            messages: [.text("system", "rules"), ChatMessage(role: "user", parts: [.text("Goal: test\nStep 1 of at most 15."), .jpeg(image, detail: "auto")])],
            responseSchema: (ActionSchema.name, ActionSchema.schema))
    }

    static let click: ModelTestServer.Reply = .action(thought: "go", action: ["type": "click", "index": 1])

    @Test("the request is OpenAI's chat-completions format: bearer key, image as a JPEG data URL, json_schema response format")
    func wireFormat() async throws {
        let server = try await ModelTestServer.start { _ in Self.click }
        defer { server.stop() }
        let reply = try await Self.client(server).complete(Self.request())
        #expect(reply.attempts == 1)
        #expect(reply.completion.usage.reportedCostUSD == 0.001)
        let received = try #require(server.received.first)
        #expect(received.raw.path == "/v1/chat/completions")
        #expect(received.raw.header("authorization") == "Bearer \(Self.key)")
        #expect(received.raw.header("content-type") == "application/json")
        #expect(received.raw.header("http-referer") == "https://stageflow.dev")
        #expect(received.raw.header("x-title") == "Stageflow")
        let body = try #require(received.body)
        #expect(body["model"] as? String == "test/vision-model")
        let format = try #require(body["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schema = try #require(format["json_schema"] as? [String: Any])
        #expect(schema["strict"] as? Bool == true)
        #expect(schema["name"] as? String == "stageflow_action")
        #expect((schema["schema"] as? [String: Any])?["required"] as? [String] == ["thought", "action"])
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.first?["content"] as? String == "rules")
        let parts = try #require(messages.last?["content"] as? [[String: Any]])
        #expect(parts.first?["type"] as? String == "text")
        let image = try #require(parts.last?["image_url"] as? [String: Any])
        #expect(parts.last?["type"] as? String == "image_url")
        let url = try #require(image["url"] as? String)
        #expect(url.hasPrefix("data:image/jpeg;base64,"))
        #expect(Data(base64Encoded: String(url.dropFirst("data:image/jpeg;base64,".count))) == Data([0xFF, 0xD8, 0xFF, 0xD9]))
        #expect(body["usage"] == nil, "usage.include is sent to OpenRouter only")
    }

    @Test("429 with Retry-After: 1 is retried after the second it asks for, and pauses every request meanwhile")
    func retryAfter() async throws {
        let server = try await ModelTestServer.start { request in
            request.number == 1 ? .status(429, message: "slow down", headers: [("Retry-After", "1")]) : Self.click
        }
        defer { server.stop() }
        let waits = Waits()
        let reply = try await Self.client(server, waits: waits).complete(Self.request())
        #expect(reply.attempts == 2)
        #expect(server.received.count == 2)
        #expect(waits.asked == [.seconds(1)])
    }

    @Test("502 and 503 are retried with backoff; an error object inside a 200 with such a code too")
    func retried() async throws {
        let server = try await ModelTestServer.start { request in
            switch request.number {
            case 1: return .status(502, message: "bad gateway", headers: [])
            case 2: return .status(503, message: "overloaded", headers: [])
            case 3: return .errorInBody(code: 502, message: "upstream provider failed")
            default: return Self.click
            }
        }
        defer { server.stop() }
        let waits = Waits()
        let reply = try await Self.client(server, waits: waits).complete(Self.request())
        #expect(reply.attempts == 4)
        #expect(waits.asked.count == 3)
        #expect(waits.asked.allSatisfy { $0 <= .milliseconds(40) }, "backoff from 10 ms, doubling, with jitter: \(waits.asked)")
    }

    @Test("402 fails at once as out of credits; 400, 401 and 403 are not retried either", arguments: [402, 400, 401, 403])
    func notRetried(status: Int) async throws {
        let server = try await ModelTestServer.start { _ in .status(status, message: "refused for \(Self.key)", headers: []) }
        defer { server.stop() }
        await #expect(throws: ModelError.self) { try await Self.client(server).complete(Self.request()) }
        do {
            _ = try await Self.client(server).complete(Self.request())
        } catch let error as ModelError {
            #expect(error.status == status)
            #expect(!error.description.contains(Self.key), "the key is redacted from what the server said: \(error)")
            if status == 402 { #expect(error.description.hasPrefix("out of credits")) }
        }
        #expect(server.received.count == 2, "one request per call, no retry")
    }

    @Test("an error object inside a 200 is an error: code 402 is out of credits")
    func errorInBody() async throws {
        let server = try await ModelTestServer.start { _ in .errorInBody(code: 402, message: "Insufficient credits") }
        defer { server.stop() }
        do {
            _ = try await Self.client(server).complete(Self.request())
            Issue.record("no error")
        } catch let error as ModelError {
            #expect(error.kind == .outOfCredits)
            #expect(error.description.contains("Insufficient credits"))
        }
        #expect(server.received.count == 1)
    }

    @Test("retries end: a server that keeps failing gives the last error after the attempts allowed")
    func exhausted() async throws {
        let server = try await ModelTestServer.start { _ in .status(503, message: "down", headers: []) }
        defer { server.stop() }
        do {
            _ = try await Self.client(server, maxAttempts: 3).complete(Self.request())
            Issue.record("no error")
        } catch let error as ModelError {
            #expect(error.kind == .unavailable)
        }
        #expect(server.received.count == 3)
    }

    @Test("an endpoint that cannot be reached is unavailable, not a crash")
    func unreachable() async throws {
        let endpoint = ModelEndpoint(baseURL: URL(string: "http://127.0.0.1:1/v1")!, model: "m")
        let client = OpenAIModelClient(endpoint: endpoint, retry: ModelRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)), sleep: { _ in })
        do {
            _ = try await client.complete(Self.request())
            Issue.record("no error")
        } catch let error as ModelError {
            #expect(error.kind == .unavailable)
        }
    }
}

@Suite("Model endpoint configuration and retry policy")
struct ModelEndpointTests {
    @Test("Retry-After as seconds or as an HTTP date; backoff grows, is capped and jittered")
    func retryPolicy() {
        #expect(ModelRetryPolicy.retryAfter("1") == .seconds(1))
        #expect(ModelRetryPolicy.retryAfter("0.5") == .milliseconds(500))
        #expect(ModelRetryPolicy.retryAfter("soon") == nil)
        #expect(ModelRetryPolicy.retryAfter(nil) == nil)
        let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00:00 GMT
        #expect(ModelRetryPolicy.retryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now: now) == .seconds(30))
        let policy = ModelRetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(5))
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 1) == .seconds(1))
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 1) == .seconds(4))
        #expect(policy.delay(afterAttempt: 6, retryAfter: nil, random: 1) == .seconds(5))
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0.5) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(90), random: 1) == .seconds(5))
    }

    @Test("the key prints as <redacted>, comes from the file or OPENROUTER_API_KEY, and OpenRouter needs one")
    func key() throws {
        let key = APIKey("sk-secret-value\n")
        #expect("\(key)" == "<redacted>")
        #expect(String(reflecting: key) == "<redacted>")
        #expect(key.redact("echo sk-secret-value back") == "echo <redacted> back")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-key-\(UUID().uuidString)")
        try "sk-from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try APIKey.load(file: file.path, environment: [:])?.value == "sk-from-file")
        #expect(try APIKey.load(file: nil, environment: ["OPENROUTER_API_KEY": "sk-env"])?.value == "sk-env")
        #expect(try APIKey.load(file: nil, environment: [:]) == nil)
        #expect(throws: APIKey.LoadError.self) { try APIKey.load(file: "/nonexistent/key", environment: [:]) }
        #expect(throws: ModelEndpoint.ConfigurationError.self) { try ModelEndpoint(model: "openai/gpt-4.1-mini").validate() }
        try ModelEndpoint(baseURL: URL(string: "http://127.0.0.1:11434/v1")!, model: "qwen2.5vl").validate()
        #expect(throws: ModelEndpoint.ConfigurationError.self) {
            try ModelEndpoint(baseURL: URL(string: "ftp://example.com")!, model: "m").validate()
        }
        #expect(ModelEndpoint(baseURL: URL(string: "http://h/v1/")!, model: "m").completionsURL.absoluteString == "http://h/v1/chat/completions")
    }

    @Test("the request limiter holds requests beyond its limit and while paused")
    func limiter() async throws {
        let limiter = RequestLimiter(maxConcurrent: 2)
        try await limiter.acquire()
        try await limiter.acquire()
        #expect(await limiter.active == 2)
        let third = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await limiter.active == 2)
        await limiter.release()
        try await third.value
        #expect(await limiter.active == 2, "the slot passed to the waiter")
        await limiter.release()
        await limiter.release()
        #expect(await limiter.active == 0)
    }
}
