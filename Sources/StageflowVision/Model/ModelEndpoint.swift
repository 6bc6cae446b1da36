import Foundation

/// Where the vision agent's model is: any server that speaks OpenAI's chat-completions API (OpenRouter by
/// default; vLLM, llama.cpp's server or Ollama keep the audit on a team's own machines).
public struct ModelEndpoint: Sendable {
    /// OpenRouter's API, the default base URL.
    public static let openRouterBaseURL = URL(string: "https://openrouter.ai/api/v1")!

    /// The API's base URL; requests go to `{base}/chat/completions`.
    public var baseURL: URL
    /// The model to ask, as the endpoint names it (`openai/gpt-4.1-mini`, `qwen2.5-vl`).
    public var model: String
    /// The bearer key, when the endpoint needs one.
    public var apiKey: APIKey?
    /// Sent as `HTTP-Referer` (OpenRouter's app attribution), when set.
    public var referer: String?
    /// Sent as `X-Title` (OpenRouter's app name), when set.
    public var title: String?
    /// Limit on one request, response included.
    public var requestTimeout: Duration
    /// Prices used when the endpoint reports no cost in `usage` (OpenRouter does; most local servers do not).
    public var pricing: ModelPricing?

    /// An endpoint.
    public init(
        baseURL: URL = ModelEndpoint.openRouterBaseURL, model: String, apiKey: APIKey? = nil, referer: String? = nil,
        title: String? = nil, requestTimeout: Duration = .seconds(120), pricing: ModelPricing? = nil
    ) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.referer = referer
        self.title = title
        self.requestTimeout = requestTimeout
        self.pricing = pricing
    }

    /// `{base}/chat/completions`.
    public var completionsURL: URL {
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        return URL(string: base + "/chat/completions")!
    }

    /// Whether this is OpenRouter, which takes `usage: {include: true}` and reports each request's cost.
    public var isOpenRouter: Bool { baseURL.host?.hasSuffix("openrouter.ai") == true }

    /// Why an endpoint cannot be used, said at start-up.
    public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
        /// What is wrong and what to set.
        public let description: String
    }

    /// Checks what can be checked before the first request: an http(s) base URL, a model name, a key for
    /// OpenRouter.
    public func validate() throws {
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https", baseURL.host != nil else {
            throw ConfigurationError(description: "--vision-base-url must be an http(s) URL, not \"\(baseURL.absoluteString)\"")
        }
        guard !model.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError(description: "--vision-model must name a model")
        }
        if isOpenRouter, apiKey == nil {
            throw ConfigurationError(
                description: "OpenRouter needs an API key: give --vision-api-key-file FILE or set OPENROUTER_API_KEY "
                    + "(or point --vision-base-url at another OpenAI-compatible server)")
        }
    }
}

/// What a model costs per million tokens, in US dollars.
public struct ModelPricing: Sendable, Hashable {
    /// Per million prompt tokens.
    public var promptPerMillion: Double
    /// Per million completion tokens.
    public var completionPerMillion: Double

    /// Prices.
    public init(promptPerMillion: Double, completionPerMillion: Double) {
        self.promptPerMillion = promptPerMillion
        self.completionPerMillion = completionPerMillion
    }

    /// The cost of `usage`.
    public func cost(promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * promptPerMillion + Double(completionTokens) * completionPerMillion) / 1_000_000
    }
}
