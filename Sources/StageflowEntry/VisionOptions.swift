import ArgumentParser
import Foundation
import StageflowVision

/// The vision agent's flags, shared by `stageflow up` and `stageflow vision`. The agent is on when a model is named;
/// without one, jobs that ask for `ai-navigator` get it skipped with a message saying what to set.
struct VisionOptions: ParsableArguments {
    @Option(
        name: .customLong("vision-base-url"),
        help: "Base URL of an OpenAI-compatible API for the vision agent: OpenRouter, vLLM, llama.cpp's server, Ollama (env STAGEFLOW_VISION_BASE_URL).")
    var baseURL: String = Environment.string("STAGEFLOW_VISION_BASE_URL") ?? ModelEndpoint.openRouterBaseURL.absoluteString

    @Option(
        name: .customLong("vision-api-key-file"),
        help: "File holding the API key of the vision model endpoint; else OPENROUTER_API_KEY (env STAGEFLOW_VISION_API_KEY_FILE).")
    var apiKeyFile: String? = Environment.string("STAGEFLOW_VISION_API_KEY_FILE")

    @Option(
        name: .customLong("vision-model"),
        help: "Model the vision agent asks (turns the agent on), e.g. openai/gpt-4.1-mini (env STAGEFLOW_VISION_MODEL).")
    var model: String? = Environment.string("STAGEFLOW_VISION_MODEL")

    @Option(name: .customLong("vision-referer"), help: "HTTP-Referer sent to the endpoint (OpenRouter's app attribution) (env STAGEFLOW_VISION_REFERER).")
    var referer: String? = Environment.string("STAGEFLOW_VISION_REFERER")

    @Option(name: .customLong("vision-title"), help: "X-Title sent to the endpoint (OpenRouter's app name) (env STAGEFLOW_VISION_TITLE).")
    var title: String? = Environment.string("STAGEFLOW_VISION_TITLE")

    @Option(name: .customLong("vision-max-journeys"), help: "Journeys walked at once (env STAGEFLOW_VISION_MAX_JOURNEYS).")
    var maxJourneys: Int = Environment.string("STAGEFLOW_VISION_MAX_JOURNEYS").flatMap(Int.init) ?? 4

    @Option(
        name: .customLong("vision-max-requests"), help: "Model requests in flight at once, over all journeys (env STAGEFLOW_VISION_MAX_REQUESTS).")
    var maxRequests: Int = Environment.string("STAGEFLOW_VISION_MAX_REQUESTS").flatMap(Int.init) ?? 4

    @Option(
        name: .customLong("vision-prices"),
        help: ArgumentHelp(
            "US dollars per million prompt and completion tokens, for endpoints that report no cost (env STAGEFLOW_VISION_PRICES).",
            valueName: "prompt,completion"))
    var prices: String? = Environment.string("STAGEFLOW_VISION_PRICES")

    @Option(
        name: .customLong("vision-secrets-dir"),
        help: "Directory of test accounts (<name>.json) that jobs name in credentials.secretRef (env STAGEFLOW_VISION_SECRETS_DIR).")
    var secretsDir: String? = Environment.string("STAGEFLOW_VISION_SECRETS_DIR")

    /// Whether the agent is on.
    var isConfigured: Bool { model != nil }

    func validate() throws {
        guard (1...64).contains(maxJourneys) else { throw ValidationError("--vision-max-journeys must be between 1 and 64") }
        guard (1...64).contains(maxRequests) else { throw ValidationError("--vision-max-requests must be between 1 and 64") }
        if isConfigured { _ = try endpoint() }
    }

    /// The endpoint, checked; `nil` when no model is named.
    func endpoint() throws -> ModelEndpoint? {
        guard let model else { return nil }
        guard let url = URL(string: baseURL) else { throw ValidationError("--vision-base-url \"\(baseURL)\" is not a URL") }
        let key: APIKey?
        do {
            key = try APIKey.load(file: apiKeyFile)
        } catch {
            throw ValidationError("\(error)")
        }
        var pricing: ModelPricing?
        if let prices {
            let parts = prices.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let prompt = parts[0], let completion = parts[1], prompt >= 0, completion >= 0 else {
                throw ValidationError("--vision-prices must be two non-negative numbers, prompt,completion (US$ per million tokens)")
            }
            pricing = ModelPricing(promptPerMillion: prompt, completionPerMillion: completion)
        }
        let endpoint = ModelEndpoint(baseURL: url, model: model, apiKey: key, referer: referer, title: title, pricing: pricing)
        do {
            try endpoint.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return endpoint
    }

    /// What `stageflow up` says when the agent is off.
    static let offMessage =
        "the vision agent is off (no --vision-model): jobs that ask for ai-navigator have it skipped; to turn it on give --vision-model MODEL "
        + "and --vision-api-key-file FILE or OPENROUTER_API_KEY (or --vision-base-url for another OpenAI-compatible server)"
}
