import Foundation
import StageflowAPI
import StageflowStore

/// The write workloads the benchmark runs through a `ResourceStore`, as the API server would.
struct StoreWorkload {
    /// The store under test, started.
    let store: ResourceStore
    /// How long each phase offers load.
    let duration: Duration

    /// `concurrency` tasks each creating ScanJobs back to back until the phase ends.
    func createsAtConcurrency(_ concurrency: Int, prefix: String) async throws -> ThroughputResult {
        let store = self.store
        let started = ContinuousClock.now
        let deadline = started.advanced(by: duration)
        let samples = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var samples: [Int64] = []
                    while ContinuousClock.now < deadline {
                        let sent = BenchmarkObjects.monotonicNanoseconds()
                        let name = "\(prefix)-\(worker)-\(samples.count)"
                        _ = try await store.create(.scanJob, BenchmarkObjects.scanJob(name: name, sentNanoseconds: sent))
                        samples.append(BenchmarkObjects.monotonicNanoseconds() - sent)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: []) { $0.append(contentsOf: $1) }
        }
        return ThroughputResult(operations: samples.count, elapsed: ContinuousClock.now - started, latencies: samples)
    }

    /// ScanJobs created at a fixed offered rate (open loop: a slow create never delays the next one) while
    /// `watchers` watches follow every change; returns create latency (from the scheduled start) and delivery
    /// latency to each watcher.
    func createsAtRate(_ rate: Double, watchers: Int, prefix: String) async throws -> RateResult {
        let store = self.store
        let total = max(1, Int(rate * duration.seconds))
        let interval = Int64(1_000_000_000 / rate)
        let startRevision = try await store.currentRevision()
        var watches: [ResourceWatch] = []
        for _ in 0..<watchers {
            watches.append(try await store.watch(.scanJob, namespace: nil, from: startRevision))
        }
        let watcherTasks = watches.map { watch in
            Task { try await Self.follow(watch, prefix: prefix, expected: total) }
        }

        let startInstant = ContinuousClock.now
        let startNanoseconds = BenchmarkObjects.monotonicNanoseconds()
        let creates = try await withThrowingTaskGroup(of: (name: String, returned: Int64, latency: Int64).self) { group in
            for index in 0..<total {
                let scheduled = startNanoseconds + Int64(index) * interval
                try await Task.sleep(until: startInstant.advanced(by: .nanoseconds(Int64(index) * interval)), clock: .continuous)
                group.addTask {
                    let name = "\(prefix)-\(index)"
                    let object = BenchmarkObjects.scanJob(name: name, sentNanoseconds: BenchmarkObjects.monotonicNanoseconds())
                    _ = try await store.create(.scanJob, object)
                    let returned = BenchmarkObjects.monotonicNanoseconds()
                    return (name, returned, returned - scheduled)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let lastReturn = creates.map(\.returned).max() ?? startNanoseconds

        // Give watchers a bounded time to catch up, then stop them.
        let stopper = Task {
            try? await Task.sleep(for: .seconds(15))
            watcherTasks.forEach { $0.cancel() }
        }
        var fromReturn: [Int64] = []
        var fromSend: [Int64] = []
        var delivered = 0
        let returnedAt = Dictionary(uniqueKeysWithValues: creates.map { ($0.name, $0.returned) })
        for task in watcherTasks {
            let seen = try await task.value
            delivered += seen.count
            for sighting in seen {
                fromSend.append(sighting.seen - sighting.sent)
                if let returned = returnedAt[sighting.name] { fromReturn.append(max(0, sighting.seen - returned)) }
            }
        }
        stopper.cancel()
        return RateResult(
            offeredPerSecond: rate, creates: creates.count,
            achievedPerSecond: Double(creates.count) / (Double(max(lastReturn - startNanoseconds, 1)) / 1e9),
            createLatency: LatencySummary(nanoseconds: creates.map(\.latency)), watchers: watchers,
            deliveries: delivered, expectedDeliveries: total * watchers,
            watchLatencyFromReturn: LatencySummary(nanoseconds: fromReturn),
            watchLatencyFromSend: LatencySummary(nanoseconds: fromSend))
    }

    /// One sighting of a created object by a watcher, in monotonic nanoseconds.
    struct Sighting: Sendable {
        var name: String
        var sent: Int64
        var seen: Int64
    }

    /// Reads a watch until `expected` objects named with `prefix` were seen, or the task is cancelled.
    private static func follow(_ watch: ResourceWatch, prefix: String, expected: Int) async throws -> [Sighting] {
        var iterator = watch.makeAsyncIterator()
        var sightings: [Sighting] = []
        sightings.reserveCapacity(expected)
        while sightings.count < expected, !Task.isCancelled {
            guard let event = try await iterator.next(waitingAtMost: .seconds(1)) else { continue }
            let seen = BenchmarkObjects.monotonicNanoseconds()
            let metadata = event.object["metadata"]
            guard event.type == .added, let name = metadata?["name"]?.stringValue, name.hasPrefix(prefix) else { continue }
            let sent = metadata?["annotations"]?[BenchmarkObjects.sentAnnotation]?.stringValue.flatMap { Int64($0) } ?? seen
            sightings.append(Sighting(name: name, sent: sent, seen: seen))
        }
        return sightings
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
