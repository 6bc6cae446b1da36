/// The clock leader election judges leases by: the time since some fixed origin, and sleeping. The process's
/// monotonic clock in production; a clock the test moves by hand in the election tests.
public protocol ElectionClock: Sendable {
    /// Time since this clock's origin.
    var elapsed: Duration { get }
    /// Sleeps for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The monotonic clock of the process.
public struct MonotonicElectionClock: ElectionClock {
    private let origin = ContinuousClock.now

    /// A clock starting now.
    public init() {}

    public var elapsed: Duration { origin.duration(to: .now) }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
