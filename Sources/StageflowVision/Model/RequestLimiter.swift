/// The controller's one limit on model requests, shared by every journey: at most `maxConcurrent` in flight, and
/// none while the endpoint has asked everyone to wait (a 429 with `Retry-After` pauses all journeys, not just the
/// one that met it, since the account's rate limit is global).
public actor RequestLimiter {
    private let maxConcurrent: Int
    private var inFlight = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var pausedUntil: ContinuousClock.Instant?
    private let clock = ContinuousClock()

    /// A limiter allowing `maxConcurrent` requests at once.
    public init(maxConcurrent: Int = 4) {
        self.maxConcurrent = max(1, maxConcurrent)
    }

    /// Waits for a pause to end and a slot to be free, and takes the slot; give it back with `release()`.
    public func acquire() async throws {
        while let until = pausedUntil, clock.now < until {
            try await Task.sleep(until: until, clock: clock)
        }
        if inFlight < maxConcurrent {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
        // The slot was handed over by `release()`.
    }

    /// Gives a slot back (to the longest waiter, if any).
    public func release() {
        if waiting.isEmpty {
            inFlight = max(0, inFlight - 1)
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Holds every request until `duration` from now (or later, if a longer pause is already set).
    public func pause(for duration: Duration) {
        let until = clock.now + duration
        if let current = pausedUntil, current > until { return }
        pausedUntil = until
    }

    /// Requests in flight now.
    public var active: Int { inFlight }
}
