import Foundation
import StageflowAPI

/// What a job asks of a journey, as its `ai-navigator` entry's `config` gives it (validated at apply time against
/// the Scanner's `configSchema` in `manifests/scanners/ai-navigator.yaml`):
///
/// ```yaml
/// scanners:
///   - name: ai-navigator
///     config:
///       goal: put a blue T-shirt in the cart
///       startUrl: https://shop.example/          # default: the job's first URL
///       maxSteps: 15                              # default 15
///       maxCostUSD: 0.25                          # default 0.25
///       maxSeconds: 600                           # default 600
///       allowedOrigins: [https://shop.example]    # where navigate may go; default: the start URL's origin
///       success: {textContains: "1 item"}         # optional check of the goal, on the page
///       credentials: {secretRef: shop-test-user}  # a test account held by the vision controller, never inline
///       accessibility: true                       # axe on every distinct page state visited (default true)
/// ```
public struct JourneyConfiguration: Decodable, Sendable, Hashable {
    /// What to achieve, in plain words.
    public var goal: String
    /// Where to start.
    public var startUrl: String?
    /// Steps at most.
    public var maxSteps: Int?
    /// US dollars of model use at most.
    public var maxCostUSD: Double?
    /// Wall time at most, seconds.
    public var maxSeconds: Int?
    /// Origins `navigate` may open.
    public var allowedOrigins: [String]?
    /// A check of the goal on the page, so a false "done" is caught.
    public var success: SuccessCheck?
    /// A test account, by the name the vision controller holds it under.
    public var credentials: CredentialsReference?
    /// Whether to run axe on every distinct page state visited.
    public var accessibility: Bool?

    /// A check that the goal is reached, read from the page.
    public struct SuccessCheck: Decodable, Sendable, Hashable {
        /// The page's URL contains this.
        public var urlContains: String?
        /// The page's visible text contains this.
        public var textContains: String?
    }

    /// A reference to a server-side secret.
    public struct CredentialsReference: Decodable, Sendable, Hashable {
        /// The secret's name.
        public var secretRef: String
    }

    /// Defaults of DESIGN's vision agent: 15 steps, US$0.25, 600 s.
    public static let defaultMaxSteps = 15
    /// US dollars.
    public static let defaultMaxCostUSD = 0.25
    /// Seconds.
    public static let defaultMaxSeconds = 600

    /// The configuration in a plan entry's `config`; a missing or mistyped field is an error naming it.
    public static func decode(_ config: JSONValue?) throws -> JourneyConfiguration {
        guard let config, config.objectValue != nil else {
            throw ConfigurationError(description: "ai-navigator needs a config with a goal: {name: ai-navigator, config: {goal: \"…\"}}")
        }
        let decoded: JourneyConfiguration
        do {
            decoded = try config.decode(as: JourneyConfiguration.self)
        } catch let error as DecodingError {
            throw ConfigurationError(description: "the ai-navigator config is invalid: \(Self.describe(error))")
        }
        guard !decoded.goal.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ConfigurationError(description: "the ai-navigator config's goal is empty")
        }
        return decoded
    }

    /// A configuration that cannot be used.
    public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
        /// What is wrong.
        public let description: String
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}
