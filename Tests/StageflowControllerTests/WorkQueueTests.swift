import Foundation
@testable import StageflowController
import Testing

@Suite("Work queue", .timeLimit(.minutes(1)))
struct WorkQueueTests {
    @Test("adding a waiting key again does nothing")
    func deduplicates() async {
        let queue = WorkQueue<String>(name: "test")
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.depth == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(queue.depth == 0)
    }

    @Test("a key is never handed out twice at once; added while processed, it comes back once after done")
    func processingSet() async {
        let queue = WorkQueue<String>(name: "test")
        queue.add("a")
        #expect(await queue.get() == "a")
        #expect(queue.isProcessing("a"))
        queue.add("a")
        queue.add("a")
        #expect(queue.depth == 0, "a key being processed is not handed out again")
        queue.done("a")
        #expect(queue.depth == 1)
        #expect(await queue.get() == "a")
        queue.done("a")
        #expect(queue.depth == 0)
        #expect(!queue.isProcessing("a"))
    }

    @Test("a waiting worker gets the next key added")
    func handsOffToWaitingWorker() async {
        let queue = WorkQueue<String>(name: "test")
        let worker = Task { await queue.get() }
        await Task.yield()
        queue.add("x")
        #expect(await worker.value == "x")
        #expect(queue.isProcessing("x"))
        #expect(queue.depth == 0)
    }

    @Test("failures back off exponentially per key; forget resets the count")
    func backoffAndForget() async {
        var limiter = RateLimiter<String>(baseDelay: .milliseconds(5), maxDelay: .seconds(1000), tokensPerSecond: 1e9, burst: 1e9, jitter: 0)
        #expect(limiter.when("a") == .milliseconds(5))
        #expect(limiter.when("a") == .milliseconds(10))
        #expect(limiter.when("a") == .milliseconds(20))
        #expect(limiter.when("b") == .milliseconds(5), "backoff is per key")
        #expect(limiter.retries("a") == 3)
        limiter.forget("a")
        #expect(limiter.retries("a") == 0)
        #expect(limiter.when("a") == .milliseconds(5))

        // The default spreads each delay by ±10 % and stops doubling at five minutes.
        var spread = RateLimiter<String>(tokensPerSecond: 1e9, burst: 1e9)
        for _ in 0..<40 {
            let delay = spread.when("c")
            #expect(delay <= .seconds(330))
        }
        #expect(spread.when("c") >= .seconds(270), "the ceiling is five minutes, give or take the jitter")
        let delays = (0..<20).map { _ -> Duration in
            var fresh = RateLimiter<String>(tokensPerSecond: 1e9, burst: 1e9)
            return fresh.when("d")
        }
        #expect(Set(delays).count > 1, "two keys failing at once do not retry at the same instant")
        #expect(delays.allSatisfy { $0 >= .microseconds(4500) && $0 <= .microseconds(5500) })

        let queue = WorkQueue<String>(name: "test", rateLimiter: limiter)
        queue.addRateLimited("k")
        queue.addRateLimited("k")
        #expect(queue.retries("k") == 2)
        #expect(queue.delayedCount == 1, "a key backing off waits once")
        queue.forget("k")
        #expect(queue.retries("k") == 0)
    }

    @Test("delayed adds keep one entry per key at its earliest time, and arrive through the one timer")
    func delayedAdds() async {
        let queue = WorkQueue<String>(name: "test")
        let timer = Task { await queue.runDelays() }
        for _ in 0..<1000 { queue.add("a", after: .seconds(3600)) }
        queue.add("b", after: .seconds(3600))
        #expect(queue.delayedCount == 2)
        #expect(queue.depth == 0)
        // An earlier time for "a" replaces the hour: the timer wakes for it.
        queue.add("a", after: .milliseconds(1))
        #expect(queue.delayedCount == 2)
        #expect(await queue.get() == "a")
        #expect(queue.delayedCount == 1)
        queue.done("a")
        // A zero delay is an immediate add.
        queue.add("c", after: .zero)
        #expect(await queue.get() == "c")
        queue.shutDown()
        await timer.value
        #expect(queue.delayedCount == 0, "shutting down drops what waits")
    }

    @Test("shutdown gives waiting workers nil and refuses new keys; a cancelled get returns nil")
    func shutdownAndCancellation() async {
        let queue = WorkQueue<String>(name: "test")
        let cancelled = Task { await queue.get() }
        cancelled.cancel()
        #expect(await cancelled.value == nil)

        let waiting = Task { await queue.get() }
        await Task.yield()
        queue.shutDown()
        #expect(await waiting.value == nil)
        queue.add("late")
        queue.add("later", after: .milliseconds(1))
        #expect(queue.depth == 0)
        #expect(queue.delayedCount == 0)
        #expect(await queue.get() == nil)
    }

    @Test("the timer ends when its task is cancelled")
    func timerEndsWithItsTask() async {
        let queue = WorkQueue<String>(name: "test")
        queue.add("a", after: .seconds(3600))
        let timer = Task { await queue.runDelays() }
        timer.cancel()
        await timer.value
        #expect(queue.delayedCount == 1)
    }
}
