import Foundation
import StageflowController

/// An election clock the test moves by hand: sleepers wake only when `advance` passes their deadline. The test
/// lets the tasks settle (every one asleep again) before moving on, so what happens at a given moment of this
/// clock does not depend on how fast the machine is.
final class ManualClock: ElectionClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Duration = .zero
    private var sleepers: [UInt64: (deadline: Duration, continuation: CheckedContinuation<Void, any Error>)] = [:]
    private var nextID: UInt64 = 0
    private var wakeups: UInt64 = 0

    var elapsed: Duration { lock.withLock { now } }

    func sleep(for duration: Duration) async throws {
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Bool = lock.withLock {
                    if duration <= .zero || Task.isCancelled { return true }
                    sleepers[id] = (now + duration, continuation)
                    return false
                }
                if immediate {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            lock.withLock { sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// How many tasks sleep on this clock.
    var sleeperCount: Int { lock.withLock { sleepers.count } }

    /// The earliest deadline of a sleeper.
    var nextDeadline: Duration? { lock.withLock { sleepers.values.map(\.deadline).min() } }

    /// Moves the clock to `time`, waking every sleeper due by then.
    func advance(to time: Duration) {
        let due: [CheckedContinuation<Void, any Error>] = lock.withLock {
            now = max(now, time)
            let ready = sleepers.filter { $0.value.deadline <= now }
            for id in ready.keys { sleepers.removeValue(forKey: id) }
            wakeups += 1
            return ready.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Waits (in real time) until the tasks using the clock have settled: `expected` of them asleep, or the number
    /// asleep unchanged for a while.
    func settle(expected: Int? = nil) async {
        var stable = 0
        var last = -1
        while stable < 5 {
            try? await Task.sleep(for: .milliseconds(2))
            let count = sleeperCount
            if let expected, count == expected { return }
            stable = count == last ? stable + 1 : 0
            last = count
        }
    }

    /// Settles, then moves the clock to the next deadline, until `condition` holds or the clock reaches `limit`.
    /// Returns whether the condition holds.
    @discardableResult
    func run(until condition: () -> Bool, limit: Duration) async -> Bool {
        while !condition() {
            await settle()
            if condition() { return true }
            guard let next = nextDeadline, next <= limit else { return condition() }
            advance(to: next)
        }
        return true
    }
}
