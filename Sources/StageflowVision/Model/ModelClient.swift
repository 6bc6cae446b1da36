/// Asks a model: one chat completion per call, retried as the endpoint's answers allow. Implemented over libcurl
/// (`OpenAIModelClient`) and scripted in tests.
public protocol ModelClient: Sendable {
    /// The model's answer to `request`, with what it took to get it; throws `ModelError` when there is none.
    func complete(_ request: ChatRequest) async throws -> ModelReply
}

/// A completion and what getting it took.
public struct ModelReply: Sendable, Hashable {
    /// The answer.
    public var completion: ChatCompletion
    /// HTTP requests made (1 unless retried).
    public var attempts: Int
    /// Bytes of the request body.
    public var requestBytes: Int
    /// Time from the first attempt to the answer, waits between attempts included.
    public var duration: Duration

    /// A reply.
    public init(completion: ChatCompletion, attempts: Int = 1, requestBytes: Int = 0, duration: Duration = .zero) {
        self.completion = completion
        self.attempts = attempts
        self.requestBytes = requestBytes
        self.duration = duration
    }
}
