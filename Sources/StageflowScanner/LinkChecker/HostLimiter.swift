/// Bounds how many requests go to one host at once: a link checker must not hammer the site it checks.
actor HostLimiter {
    private let perHost: Int
    private var active: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// A limiter allowing `perHost` requests per host at once.
    init(perHost: Int) {
        self.perHost = max(1, perHost)
    }

    /// Waits for a free slot on `host`.
    func acquire(_ host: String) async {
        if active[host, default: 0] < perHost {
            active[host, default: 0] += 1
            return
        }
        await withCheckedContinuation { waiting[host, default: []].append($0) }
    }

    /// Frees a slot on `host`, handing it to the longest waiter.
    func release(_ host: String) {
        if var queue = waiting[host], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[host] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            active[host, default: 1] -= 1
            if active[host] == 0 { active[host] = nil }
        }
    }

    /// Runs `body` holding a slot on `host`.
    nonisolated func withSlot<T: Sendable>(_ host: String, _ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire(host)
        do {
            let value = try await body()
            await release(host)
            return value
        } catch {
            await release(host)
            throw error
        }
    }
}
