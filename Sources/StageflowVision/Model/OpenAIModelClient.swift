import Foundation
import Logging
import StageflowAPI
import StageflowHTTP

/// The model client over libcurl (`StageflowHTTP`): `POST {base}/chat/completions` with the bearer key, the
/// optional `HTTP-Referer` and `X-Title`, a timeout per request, and retries as `ModelRetryPolicy` says under the
/// controller's `RequestLimiter`. The key goes into the `Authorization` header and nowhere else; what the server
/// says back is redacted before it is logged or thrown.
public struct OpenAIModelClient: ModelClient {
    /// The endpoint.
    public let endpoint: ModelEndpoint
    private let http: HTTPClient
    private let limiter: RequestLimiter
    private let retry: ModelRetryPolicy
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void

    /// A client of `endpoint`, sharing `limiter` with every other journey of the controller; `sleep` waits between
    /// attempts (tests record what it is asked).
    public init(
        endpoint: ModelEndpoint, limiter: RequestLimiter = RequestLimiter(), retry: ModelRetryPolicy = ModelRetryPolicy(),
        logger: Logger = Logger(label: "stageflow.vision.model"),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.endpoint = endpoint
        self.limiter = limiter
        self.retry = retry
        self.logger = logger
        self.sleep = sleep
        // Model calls are not target requests: no connect filter; the environment's proxy applies as for curl.
        http = HTTPClient(configuration: HTTPClient.Configuration(timeout: endpoint.requestTimeout, userAgent: "stageflow-vision"))
    }

    public func complete(_ request: ChatRequest) async throws -> ModelReply {
        let body = request.bodyData
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        if let key = endpoint.apiKey { headers.add("Authorization", "Bearer \(key.value)") }
        if let referer = endpoint.referer { headers.add("HTTP-Referer", referer) }
        if let title = endpoint.title { headers.add("X-Title", title) }
        let httpRequest = HTTPRequest(method: "POST", url: endpoint.completionsURL, headers: headers, body: body)
        let start = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            try await limiter.acquire()
            let outcome: Result<HTTPResponse, HTTPError>
            do {
                outcome = .success(try await http.send(httpRequest))
            } catch let error as HTTPError {
                outcome = .failure(error)
            } catch {
                await limiter.release()
                throw error
            }
            await limiter.release()

            let failure: ModelError
            var retryAfter: Duration?
            switch outcome {
            case .success(let response) where response.isSuccess:
                do {
                    let completion = try ChatCompletion.decode(response.body, redacting: endpoint.apiKey)
                    return ModelReply(completion: completion, attempts: attempt, requestBytes: body.count, duration: start.duration(to: .now))
                } catch let error as ModelError {
                    // An error object inside a 200: retried as its code says.
                    guard error.kind == .unavailable || error.kind == .rateLimited else { throw error }
                    failure = error
                }
            case .success(let response):
                let message = redacted(Self.message(of: response))
                if let permanent = ModelError.permanentKind(forStatus: response.status) {
                    throw ModelError(permanent, status: response.status, message: message)
                }
                retryAfter = ModelRetryPolicy.retryAfter(response.headers["Retry-After"])
                if response.status == 429, let retryAfter { await limiter.pause(for: retryAfter) }
                failure = ModelError(ModelError.exhaustedKind(forStatus: response.status), status: response.status, message: message)
            case .failure(let error):
                failure = ModelError(.unavailable, message: redacted(error.description))
            }
            guard attempt < retry.maxAttempts else { throw failure }
            let wait = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            logger.warning("model request attempt \(attempt) failed (\(failure)); retrying in \(wait)")
            try await sleep(wait)
        }
    }

    private func redacted(_ text: String) -> String {
        endpoint.apiKey?.redact(text) ?? text
    }

    /// The error message of a non-2xx answer: its `error.message` when it is JSON, else the start of its body.
    static func message(of response: HTTPResponse) -> String {
        if let json = try? JSONValue.parse(response.body), let error = json["error"] {
            return ChatCompletion.errorMessage(error)
        }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(response.status)" : String(text.prefix(300))
    }
}
