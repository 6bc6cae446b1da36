import Foundation

/// How long to wait before retrying an item, with client-go's default controller semantics: the larger of a
/// per-item exponential backoff (5 ms doubling to 5 min, each delay spread by ±`jitter` so keys that failed
/// together do not retry together) and a global token bucket (10 per second, burst 100).
public struct RateLimiter<Key: Hashable & Sendable>: Sendable {
    /// First per-item delay.
    public var baseDelay: Duration
    /// Largest per-item delay.
    public var maxDelay: Duration
    /// Bucket refill rate, tokens per second.
    public var tokensPerSecond: Double
    /// Bucket size.
    public var burst: Double
    /// Fraction by which each backoff is spread at random, either way (0.1: ±10 %); 0 for exact doubling.
    public var jitter: Double

    private var failures: [Key: Int] = [:]
    private var tokens: Double
    private var lastRefill: ContinuousClock.Instant

    /// A limiter with client-go's defaults, but a 5-minute ceiling and jitter: a blocked job retries at least
    /// every five minutes (docs/architecture.md, "Faults").
    public init(
        baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(300), tokensPerSecond: Double = 10,
        burst: Double = 100, jitter: Double = 0.1
    ) {
        self.jitter = min(max(jitter, 0), 0.5)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.tokensPerSecond = tokensPerSecond
        self.burst = burst
        self.tokens = burst
        self.lastRefill = .now
    }

    /// The delay before the next retry of `key`; counts a failure.
    public mutating func when(_ key: Key, now: ContinuousClock.Instant = .now) -> Duration {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        let exponent = min(count, 62)
        var backoffSeconds = min(
            baseDelay.seconds * pow(2, Double(exponent)), maxDelay.seconds)
        if jitter > 0 { backoffSeconds *= Double.random(in: (1 - jitter)...(1 + jitter)) }
        // Token bucket: reserve a token; if none is left, wait until one will be.
        let elapsed = lastRefill.duration(to: now).seconds
        tokens = min(burst, tokens + elapsed * tokensPerSecond)
        lastRefill = now
        tokens -= 1
        let bucketSeconds = tokens >= 0 ? 0 : -tokens / tokensPerSecond
        return .nanoseconds(Int64(max(backoffSeconds, bucketSeconds) * 1e9))
    }

    /// Failures counted for `key` since it was last forgotten.
    public func retries(_ key: Key) -> Int { failures[key, default: 0] }

    /// Clears the backoff of `key` (after a success).
    public mutating func forget(_ key: Key) {
        failures.removeValue(forKey: key)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
