import Foundation
import StageflowAPI

/// What a chat-completions endpoint answered: the first choice's text and the request's usage.
public struct ChatCompletion: Sendable, Hashable {
    /// The answer's text.
    public var content: String
    /// Why the model stopped (`stop`, `length`).
    public var finishReason: String?
    /// Tokens and cost.
    public var usage: ModelUsage

    /// A completion.
    public init(content: String, finishReason: String? = nil, usage: ModelUsage = ModelUsage()) {
        self.content = content
        self.finishReason = finishReason
        self.usage = usage
    }

    /// Reads a response body. An `error` object in it (OpenRouter sends some errors with status 200) is a
    /// `ModelError` of the kind its code gives; a body without a choice is an invalid response.
    static func decode(_ body: Data, redacting key: APIKey?) throws -> ChatCompletion {
        let json: JSONValue
        do {
            json = try JSONValue.parse(body)
        } catch {
            throw ModelError(.invalidResponse, message: "the body is not JSON: \(error)")
        }
        if let error = json["error"], !error.isNull {
            let code = error["code"]?.intValue.map(Int.init)
            let message = key?.redact(Self.errorMessage(error)) ?? Self.errorMessage(error)
            let kind = code.flatMap(ModelError.permanentKind(forStatus:)) ?? (code.map { ModelError.exhaustedKind(forStatus: $0) } ?? .unavailable)
            throw ModelError(kind, status: code, message: message)
        }
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw ModelError(.invalidResponse, message: "no choices in \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        let content: String
        if let text = message["content"]?.stringValue {
            content = text
        } else if let parts = message["content"]?.arrayValue {
            content = parts.compactMap { $0["text"]?.stringValue }.joined()
        } else {
            throw ModelError(.invalidResponse, message: "the first choice has no content")
        }
        let usage = json["usage"] ?? [:]
        return ChatCompletion(
            content: content, finishReason: choice["finish_reason"]?.stringValue,
            usage: ModelUsage(
                promptTokens: Int(usage["prompt_tokens"]?.intValue ?? 0), completionTokens: Int(usage["completion_tokens"]?.intValue ?? 0),
                reportedCostUSD: usage["cost"]?.doubleValue))
    }

    /// The message of an error object (`{"message": …}`, or a string).
    static func errorMessage(_ error: JSONValue) -> String {
        let text = error["message"]?.stringValue ?? error.stringValue ?? error.jsonString()
        return String(text.prefix(500))
    }
}

/// Tokens and cost of model requests.
public struct ModelUsage: Sendable, Hashable {
    /// Prompt tokens.
    public var promptTokens: Int
    /// Completion tokens.
    public var completionTokens: Int
    /// The cost the endpoint reported (OpenRouter's `usage.cost`), when it did.
    public var reportedCostUSD: Double?

    /// Usage.
    public init(promptTokens: Int = 0, completionTokens: Int = 0, reportedCostUSD: Double? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.reportedCostUSD = reportedCostUSD
    }

    /// The cost: as reported, else from `pricing`, else 0.
    public func cost(pricing: ModelPricing?) -> Double {
        reportedCostUSD ?? pricing?.cost(promptTokens: promptTokens, completionTokens: completionTokens) ?? 0
    }
}
