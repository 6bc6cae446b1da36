import Foundation

/// When to try a model request again: on 429, 408 and 5xx answers, on connection failures and timeouts; never on
/// 400, 401, 402 or 403. The wait is what `Retry-After` says when the endpoint says it, else exponential backoff
/// with full jitter.
public struct ModelRetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The backoff's first step.
    public var baseDelay: Duration
    /// The longest wait between attempts (a longer `Retry-After` is capped here too).
    public var maxDelay: Duration

    /// A policy: 4 attempts, backoff from 1 s up to 60 s.
    public init(maxAttempts: Int = 4, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed, honouring `retryAfter`.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, random: Double = Double.random(in: 0...1)) -> Duration {
        if let retryAfter { return min(retryAfter, maxDelay) }
        let exponent = min(max(0, attempt - 1), 20)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * max(0, min(1, random))
    }

    /// A `Retry-After` value: delay-seconds, or an HTTP date (RFC 9110 §10.2.3); `nil` when absent or unreadable.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}
