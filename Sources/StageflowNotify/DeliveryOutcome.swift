/// How one delivery to one notify target ended, for the job's status and an Event.
public struct DeliveryOutcome: Sendable, Hashable, CustomStringConvertible {
    /// How it ended.
    public enum Result: String, Sendable, Hashable {
        /// The webhook answered 2xx.
        case delivered = "Delivered"
        /// Every attempt failed (no answer, or 408, 429, 5xx).
        case failed = "Failed"
        /// Not sent, or refused in a way retrying cannot change: the target policy, a missing secret, a 4xx.
        case refused = "Refused"
    }

    /// The target's name.
    public var target: String
    /// How it ended.
    public var result: Result
    /// Requests made.
    public var attempts: Int
    /// The status code of the last answer, if any.
    public var httpStatus: Int?
    /// A sentence saying what happened.
    public var message: String

    /// An outcome.
    public init(target: String, result: Result, attempts: Int, httpStatus: Int? = nil, message: String) {
        self.target = target
        self.result = result
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.message = message
    }

    public var description: String { "\(target): \(result.rawValue) after \(attempts) attempt(s): \(message)" }
}
