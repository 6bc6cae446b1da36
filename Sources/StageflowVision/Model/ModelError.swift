/// A model request that gave no usable answer. Agent faults, not site faults: a journey that meets one ends with
/// `ModelUnavailable` and says why.
public struct ModelError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What kind of failure.
    public enum Kind: String, Sendable, Hashable {
        /// 402: the account has no credits left.
        case outOfCredits
        /// 401 or 403: the key is missing, wrong or not allowed this model.
        case unauthorized
        /// 400 and other 4xx: the endpoint refused the request as made (an unknown model, say).
        case rejected
        /// 429 after every retry.
        case rateLimited
        /// 5xx, no connection or a timeout, after every retry.
        case unavailable
        /// A 200 whose body is not a chat completion.
        case invalidResponse
    }

    /// What kind of failure.
    public let kind: Kind
    /// The HTTP status (or the code of an error object inside a 200), when there was one.
    public let status: Int?
    /// The endpoint's own words (with the key redacted) or what went wrong.
    public let message: String

    /// An error.
    public init(_ kind: Kind, status: Int? = nil, message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    /// The kind of an HTTP status that will not get better by retrying, or `nil` for one worth retrying.
    static func permanentKind(forStatus status: Int) -> Kind? {
        switch status {
        case 402: return .outOfCredits
        case 401, 403: return .unauthorized
        case 429, 408, 500, 502, 503, 504: return nil
        case 400..<500: return .rejected
        default: return nil
        }
    }

    /// The kind of a retryable status once retries are spent.
    static func exhaustedKind(forStatus status: Int?) -> Kind {
        status == 429 ? .rateLimited : .unavailable
    }

    public var description: String {
        let code = status.map { " (\($0))" } ?? ""
        switch kind {
        case .outOfCredits: return "out of credits: the model endpoint refused the request\(code): \(message)"
        case .unauthorized: return "the model endpoint refused the API key\(code): \(message)"
        case .rejected: return "the model endpoint rejected the request\(code): \(message)"
        case .rateLimited: return "the model endpoint kept answering 429 (rate limited): \(message)"
        case .unavailable: return "the model endpoint is unavailable\(code): \(message)"
        case .invalidResponse: return "the model endpoint's answer is not a chat completion: \(message)"
        }
    }
}
