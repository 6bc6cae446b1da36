import Foundation
import StageflowAPI
import StageflowHTTP
import StageflowIntake
import StageflowNotify
import StageflowTestSupport
import Testing

/// Deliveries to a real HTTP receiver on loopback: the body and headers it gets, retries with backoff and the
/// same Idempotency-Key, what is refused, and the target policy.
@Suite("Webhook delivery", .serialized)
struct WebhookDeliveryTests {
    /// The waits between attempts, recorded instead of slept.
    final class Waits: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Duration] = []
        func record(_ wait: Duration) { lock.withLock { recorded.append(wait) } }
        var all: [Duration] { lock.withLock { recorded } }
    }

    static let body: JSONValue = ["text": "Stageflow: schedule default/nightly got worse.", "score": 80]

    func delivery(_ configuration: WebhookDelivery.Configuration, waits: Waits) -> WebhookDelivery {
        WebhookDelivery(configuration: configuration, sleep: { waits.record($0) })
    }

    static var loopback: WebhookDelivery.Configuration { .init(allowPrivateTargets: true) }

    func target(_ url: String) -> ScheduleNotifyTarget { ScheduleNotifyTarget(name: "chat", url: url, on: [.newIssues]) }

    @Test("a 200 is delivered once, with the JSON body, its content type and the Idempotency-Key")
    func delivered() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let waits = Waits()
        let outcome = await delivery(Self.loopback, waits: waits).deliver(
            Self.body, to: target(receiver.baseURL + "/ok"), idempotencyKey: WebhookDelivery.idempotencyKey(jobUID: "uid-2", target: "chat"))
        #expect(outcome == DeliveryOutcome(target: "chat", result: .delivered, attempts: 1, httpStatus: 200, message: "answered 200"))
        let received = try await receiver.received()
        #expect(received.count == 1)
        #expect(received.first?.headers["idempotency-key"] == "uid-2/chat")
        #expect(received.first?.headers["content-type"] == "application/json")
        #expect(try JSONValue.parse(received.first?.body ?? "") == Self.body)
        #expect(waits.all == [])
    }

    @Test("503 twice then 200: retried with doubling waits, every attempt with the same key")
    func retried() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let waits = Waits()
        let outcome = await delivery(Self.loopback, waits: waits).deliver(
            Self.body, to: target(receiver.baseURL + "/flaky/2"), idempotencyKey: "uid-2/chat")
        #expect(outcome.result == .delivered)
        #expect(outcome.attempts == 3)
        let received = try await receiver.received()
        #expect(received.map(\.path) == ["/flaky/2", "/flaky/2", "/flaky/2"])
        #expect(Set(received.compactMap { $0.headers["idempotency-key"] }) == ["uid-2/chat"])
        #expect(waits.all == [.seconds(1), .seconds(2)])
    }

    @Test("a webhook that keeps failing is given up after the attempts, the waits capped")
    func givesUp() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let waits = Waits()
        var configuration = Self.loopback
        configuration.attempts = 5
        configuration.maximumBackoff = .seconds(3)
        let outcome = await delivery(configuration, waits: waits).deliver(Self.body, to: target(receiver.baseURL + "/down"), idempotencyKey: "k")
        #expect(outcome.result == .failed)
        #expect(outcome.attempts == 5)
        #expect(outcome.httpStatus == 500)
        #expect(outcome.message == "gave up: answered 500")
        #expect(try await receiver.received().count == 5)
        #expect(waits.all == [.seconds(1), .seconds(2), .seconds(3), .seconds(3)])
    }

    @Test("a 404 or a redirect is refused at once: asking again will not change it")
    func refusedAnswers() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let waits = Waits()
        let gone = await delivery(Self.loopback, waits: waits).deliver(Self.body, to: target(receiver.baseURL + "/gone"), idempotencyKey: "k")
        #expect(gone == DeliveryOutcome(target: "chat", result: .refused, attempts: 1, httpStatus: 404, message: "answered 404"))
        let moved = await delivery(Self.loopback, waits: waits).deliver(Self.body, to: target(receiver.baseURL + "/moved"), idempotencyKey: "k")
        #expect(moved.result == .refused)
        #expect(moved.message == "answered 301; redirects are not followed")
        #expect(try await receiver.received().map(\.path) == ["/gone", "/moved"])
        #expect(waits.all == [])
    }

    @Test("without the operator's permission a loopback webhook is refused and nothing is sent")
    func targetPolicy() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let waits = Waits()
        let outcome = await delivery(.init(), waits: waits).deliver(Self.body, to: target(receiver.baseURL + "/ok"), idempotencyKey: "k")
        #expect(outcome.result == .refused)
        #expect(outcome.attempts == 0)
        #expect(outcome.message.hasPrefix("refused by the target policy: host 127.0.0.1 is"), "\(outcome.message)")
        #expect(try await receiver.received().isEmpty)
        let malformed = await delivery(Self.loopback, waits: waits).deliver(Self.body, to: target("ftp://example.com/x"), idempotencyKey: "k")
        #expect(malformed.result == .refused)
    }

    @Test("a host that resolves to loopback at connect time is refused there (DNS rebinding)")
    func connectTimeCheck() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let port = receiver.baseURL.split(separator: ":").last.map(String.init) ?? ""
        // The policy sees a public address; curl is told the name is 127.0.0.1.
        var configuration = WebhookDelivery.Configuration(resolver: FixedResolver(addresses: ["93.184.215.14"]))
        configuration.attempts = 1
        configuration.resolveOverrides = ["rebind.test:\(port)": ["127.0.0.1"]]
        let outcome = await WebhookDelivery(
            configuration: configuration, client: HTTPClient(configuration: .init(useEnvironmentProxy: false)), sleep: { _ in }
        ).deliver(Self.body, to: target("http://rebind.test:\(port)/ok"), idempotencyKey: "k")
        #expect(outcome.result == .refused)
        #expect(outcome.message == "refused by the target policy: connecting to 127.0.0.1")
        #expect(try await receiver.received().isEmpty)
    }

    @Test("a urlSecretRef is read from the secrets directory; a missing one is refused")
    func secretURL() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try (receiver.baseURL + "/ok\n").write(to: directory.appendingPathComponent("chat-webhook"), atomically: true, encoding: .utf8)
        var target = ScheduleNotifyTarget(name: "chat", on: [.failed])
        target.urlSecretRef = LocalObjectReference(name: "chat-webhook")
        var configuration = Self.loopback
        configuration.secretsDirectory = directory.path
        let waits = Waits()
        #expect(await delivery(configuration, waits: waits).deliver(Self.body, to: target, idempotencyKey: "k").result == .delivered)
        #expect(try await receiver.received().map(\.path) == ["/ok"])
        target.urlSecretRef = LocalObjectReference(name: "other-webhook")
        let missing = await delivery(configuration, waits: waits).deliver(Self.body, to: target, idempotencyKey: "k")
        #expect(missing.result == .refused)
        #expect(missing.message.contains("urlSecretRef \"other-webhook\": no readable file"))
        let unconfigured = await delivery(Self.loopback, waits: waits).deliver(Self.body, to: target, idempotencyKey: "k")
        #expect(unconfigured.message == "urlSecretRef \"other-webhook\" needs a secrets directory, and none is configured")
    }

    @Test("nobody listening: failed after every attempt, with curl's reason")
    func nobodyListening() async throws {
        let waits = Waits()
        var configuration = Self.loopback
        configuration.attempts = 2
        let outcome = await delivery(configuration, waits: waits).deliver(Self.body, to: target("http://127.0.0.1:1/ok"), idempotencyKey: "k")
        #expect(outcome.result == .failed)
        #expect(outcome.attempts == 2)
        #expect(outcome.httpStatus == nil)
        #expect(outcome.message.hasPrefix("gave up: "))
        #expect(waits.all == [.seconds(1)])
    }
}

/// A resolver that answers every name with fixed addresses.
struct FixedResolver: HostResolver {
    var addresses: [String]
    func addresses(of name: String) async throws -> [IPAddress] { addresses.compactMap(IPAddress.init) }
}
