import Foundation
import StageflowAPI
import StageflowHTTP
import StageflowIntake

/// Delivers notification bodies to webhooks over libcurl, under the same target policy as scans: the URL and
/// every address its host resolves to are checked before sending, and again at connect time for the address
/// actually used; private addresses only when the operator allows private webhook hosts. Failures that may
/// pass (no answer, 408, 429, 5xx) are retried with exponential backoff; every attempt carries the same
/// `Idempotency-Key`, so a receiver can recognise a redelivery, also one after a controller restart.
public struct WebhookDelivery: Sendable {
    /// Policy, retries and where secret webhook URLs are read from.
    public struct Configuration: Sendable {
        /// Allow webhook hosts on private addresses (loopback, RFC 1918): the operator's explicit choice.
        public var allowPrivateTargets: Bool
        /// Requests made at most per delivery.
        public var attempts: Int
        /// The wait before the second attempt; it doubles for each further one.
        public var initialBackoff: Duration
        /// The longest wait between attempts.
        public var maximumBackoff: Duration
        /// Limit on one request.
        public var timeout: Duration
        /// The directory of the files `urlSecretRef` names; without one, such targets are refused.
        public var secretsDirectory: String?
        /// How webhook host names become addresses.
        public var resolver: any HostResolver
        /// `host:port` → addresses curl connects to instead of asking DNS (curl's `--resolve`), for webhook hosts
        /// known by a name the network does not resolve; the connect-time check still applies.
        public var resolveOverrides: [String: [String]]

        /// A configuration: public hosts only, five attempts 1 s, 2 s, 4 s, 8 s apart, 10 s per request.
        public init(
            allowPrivateTargets: Bool = false, attempts: Int = 5, initialBackoff: Duration = .seconds(1),
            maximumBackoff: Duration = .seconds(60), timeout: Duration = .seconds(10), secretsDirectory: String? = nil,
            resolver: any HostResolver = SystemHostResolver(), resolveOverrides: [String: [String]] = [:]
        ) {
            self.allowPrivateTargets = allowPrivateTargets
            self.attempts = attempts
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.timeout = timeout
            self.secretsDirectory = secretsDirectory
            self.resolver = resolver
            self.resolveOverrides = resolveOverrides
        }
    }

    let configuration: Configuration
    let client: HTTPClient
    let sleep: @Sendable (Duration) async throws -> Void

    /// A delivery service; `sleep` waits between attempts (tests pass one that returns at once).
    public init(
        configuration: Configuration, client: HTTPClient = HTTPClient(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        self.client = client
        self.sleep = sleep
    }

    /// The key a receiver sees on every attempt of one notification: the job's uid and the target's name.
    public static func idempotencyKey(jobUID: String, target: String) -> String { "\(jobUID)/\(target)" }

    /// Sends `body` to `target`; never throws: every way it can end is an outcome.
    public func deliver(_ body: JSONValue, to target: ScheduleNotifyTarget, idempotencyKey: String) async -> DeliveryOutcome {
        func outcome(_ result: DeliveryOutcome.Result, _ attempts: Int, _ message: String, status: Int? = nil) -> DeliveryOutcome {
            DeliveryOutcome(target: target.name, result: result, attempts: attempts, httpStatus: status, message: message)
        }
        let urlText: String
        do {
            urlText = try webhookURL(of: target)
        } catch {
            return outcome(.refused, 0, error.description)
        }
        let policy = TargetURLPolicy(allowPrivateTargets: configuration.allowPrivateTargets, resolver: configuration.resolver)
        var request = HTTPRequest(
            method: "POST", url: URL(string: urlText) ?? URL(fileURLWithPath: "/"),
            headers: ["Content-Type": "application/json", "Idempotency-Key": idempotencyKey], body: body.jsonData(),
            timeout: configuration.timeout, connectFilter: Self.connectFilter(policy.addressPolicy),
            resolveOverrides: configuration.resolveOverrides)
        var last = "no attempt made"
        var lastStatus: Int?
        for attempt in 1...max(1, configuration.attempts) {
            if attempt > 1 {
                do {
                    try await sleep(backoff(before: attempt))
                } catch {
                    return outcome(.failed, attempt - 1, "stopped while waiting to retry: \(last)", status: lastStatus)
                }
            }
            do {
                let checked = try await policy.check(urlText)
                request.url = URL(string: checked.url.description) ?? request.url
            } catch {
                if error.reason == .unresolvable {
                    last = error.message
                    continue
                }
                return outcome(.refused, attempt - 1, "refused by the target policy: \(error.message)")
            }
            do {
                let response = try await client.send(request)
                lastStatus = response.status
                if response.isSuccess { return outcome(.delivered, attempt, "answered \(response.status)", status: response.status) }
                last = "answered \(response.status)"
                if !Self.isRetryable(response.status) {
                    return outcome(.refused, attempt, last + (response.status < 400 ? "; redirects are not followed" : ""), status: response.status)
                }
            } catch let error as HTTPError {
                if let blocked = error.blockedAddress {
                    return outcome(.refused, attempt, "refused by the target policy: connecting to \(blocked)")
                }
                last = error.message
                if error.kind == .cancelled { return outcome(.failed, attempt, last, status: lastStatus) }
            } catch {
                return outcome(.failed, attempt, "\(error)", status: lastStatus)
            }
        }
        return outcome(.failed, max(1, configuration.attempts), "gave up: \(last)", status: lastStatus)
    }

    /// The wait before attempt `attempt` (2 or later): the initial backoff doubled per attempt, capped.
    func backoff(before attempt: Int) -> Duration {
        var wait = configuration.initialBackoff
        for _ in 2..<attempt where wait < configuration.maximumBackoff { wait *= 2 }
        return min(wait, configuration.maximumBackoff)
    }

    /// 408, 429 and 5xx may pass; other answers will not change by asking again.
    static func isRetryable(_ status: Int) -> Bool { status == 408 || status == 429 || status >= 500 }

    /// The webhook URL of `target`: given, or read from its secret file.
    func webhookURL(of target: ScheduleNotifyTarget) throws(WebhookTargetError) -> String {
        if let url = target.url { return url }
        guard let secret = target.urlSecretRef?.name else { throw WebhookTargetError("gives neither url nor urlSecretRef") }
        guard let directory = configuration.secretsDirectory else {
            throw WebhookTargetError("urlSecretRef \"\(secret)\" needs a secrets directory, and none is configured")
        }
        guard !secret.isEmpty, !secret.contains("/"), secret != ".", secret != ".." else {
            throw WebhookTargetError("urlSecretRef \"\(secret)\" is not a file name")
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent(secret).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebhookTargetError("urlSecretRef \"\(secret)\": no readable file \(path)")
        }
        let url = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { throw WebhookTargetError("urlSecretRef \"\(secret)\": \(path) is empty") }
        return url
    }

    /// The connect-time half of the policy: refuses an address the policy refuses.
    static func connectFilter(_ addresses: AddressPolicy) -> ConnectFilter {
        ConnectFilter { candidate in
            guard let address = IPAddress(bytes: candidate.bytes) else { return "\(candidate) is not an IP address" }
            return addresses.verdict(for: address, port: candidate.port).refusal
        }
    }
}

/// Why a target's webhook URL could not be found.
public struct WebhookTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}
