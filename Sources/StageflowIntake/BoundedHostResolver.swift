import Foundation

/// A resolver that bounds what name lookups can cost a server: at most `concurrency` lookups run at once
/// (shared by every request that uses this resolver), a lookup waits at most `timeout` for its answer, and a
/// caller that gives up (or is cancelled) stops waiting at once. A slot is held until the underlying lookup
/// really ends, so a resolver that hangs can tie up `concurrency` lookups but never more.
public struct BoundedHostResolver: HostResolver {
    private let base: any HostResolver
    private let slots: LookupSlots
    /// How long one lookup may take before it counts as unresolvable.
    public let timeout: Duration

    /// Bounds `base`.
    public init(_ base: any HostResolver, concurrency: Int = 16, timeout: Duration = .seconds(3)) {
        self.base = base
        self.slots = LookupSlots(limit: max(1, concurrency))
        self.timeout = timeout
    }

    /// The addresses of `host`, or `HostResolutionError` when the lookup fails, times out or is cancelled.
    public func addresses(of host: String) async throws -> [IPAddress] {
        let base = self.base
        let slots = self.slots
        let timeout = self.timeout
        let deadline = ContinuousClock.now + timeout
        // The first of the lookup's answer and the deadline wins; the other is dropped.
        let (answers, answer) = AsyncStream.makeStream(of: Result<[IPAddress], any Error>.self, bufferingPolicy: .bufferingOldest(1))
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            if !Task.isCancelled { answer.yield(.failure(HostResolutionError(host: host, message: "no answer within \(timeout)"))) }
        }
        Task {
            guard await slots.acquire(until: deadline) else {
                answer.yield(.failure(HostResolutionError(host: host, message: "too many name lookups are under way")))
                timer.cancel()
                return
            }
            do {
                answer.yield(.success(try await base.addresses(of: host)))
            } catch {
                answer.yield(.failure(error))
            }
            await slots.release()
            timer.cancel()
        }
        for await first in answers { return try first.get() }
        throw HostResolutionError(host: host, message: "the lookup was cancelled")
    }
}

/// Counting semaphore of lookup slots.
actor LookupSlots {
    private let limit: Int
    private var inUse = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0

    init(limit: Int) { self.limit = limit }

    /// Takes a slot, waiting for one until `deadline`; `false` when none freed up in time.
    func acquire(until deadline: ContinuousClock.Instant) async -> Bool {
        if inUse < limit {
            inUse += 1
            return true
        }
        nextID += 1
        let id = nextID
        let timeout = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            await self?.expire(id)
        }
        let granted = await withCheckedContinuation { continuation in
            waiters.append((id, continuation))
        }
        timeout.cancel()
        return granted
    }

    /// Hands a slot to the next waiter, or frees it.
    func release() {
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: true)
        } else {
            inUse -= 1
        }
    }

    private func expire(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
