import Foundation
import Logging
import StageflowAPI

/// Leader election through a `Lease` object, as client-go does it: the leader renews the lease every
/// `retryPeriod`; a standby takes over once it has seen the same lease record unchanged for `leaseDuration`
/// (judged by its own clock, so clock skew between machines does not matter). Two processes never both lead:
/// every acquisition and renewal is a compare-and-swap on the lease's resourceVersion, and a leader that has not
/// renewed for `renewDeadline` (shorter than `leaseDuration`) stops acting even while a renewal still hangs.
public final class LeaderElector: Sendable {
    /// Timing of the election.
    public struct Timing: Sendable {
        /// How long an unrenewed lease stays valid.
        public var leaseDuration: Duration
        /// How long the leader keeps trying to renew before it gives up leading.
        public var renewDeadline: Duration
        /// How often the leader renews and a standby retries.
        public var retryPeriod: Duration

        /// Defaults: a standby takes over within about 12 s of the leader's death.
        public init(leaseDuration: Duration = .seconds(10), renewDeadline: Duration = .seconds(8), retryPeriod: Duration = .seconds(2)) {
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    /// This candidate's identity, recorded as the lease holder. A process that finds the lease held under its own
    /// identity (a restart of `stageflow up` on the same data directory) renews it at once instead of waiting.
    public let identity: String
    private let client: any ResourceClient
    private let namespace: String
    private let name: String
    private let timing: Timing
    private let clock: any ElectionClock
    private let logger: Logger
    private let observed: ObservedLease

    /// A candidate for the lease `namespace/name`.
    public init(
        client: any ResourceClient, namespace: String = "stageflow-system", name: String = "stageflow-controller",
        identity: String = LeaderElector.defaultIdentity(), timing: Timing = .init(),
        clock: any ElectionClock = MonotonicElectionClock(), logger: Logger
    ) {
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.timing = timing
        self.clock = clock
        self.logger = logger
        self.observed = ObservedLease(clock: clock)
    }

    /// `hostname-pid-random`.
    public static func defaultIdentity() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Campaigns for the lease and runs `lead` while holding it. When leadership is lost, `lead` is cancelled
    /// and awaited before the campaign starts again; when `lead` returns by itself the lease is released (no
    /// lease held without workers). Returns when the calling task is cancelled, after releasing the lease.
    public func run(_ lead: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            guard await acquire() else { break }
            logger.info("\(identity) became the leader")
            let leading = Task { await lead() }
            let outcome = await hold(while: leading)
            leading.cancel()
            _ = await leading.value
            switch outcome {
            case .lost:
                logger.warning("\(identity) lost the lease; its controllers stopped; standing by")
            case .leadEnded:
                logger.warning("\(identity)'s controllers ended while leading; releasing the lease")
                await release()
                try? await clock.sleep(for: timing.retryPeriod)
            case .cancelled:
                await release()
                logger.info("\(identity) stepped down")
                return
            }
        }
    }

    /// How a term ended.
    enum TermOutcome: Sendable {
        case lost, leadEnded, cancelled
    }

    /// Keeps renewing while `leading` runs. Returns at the first of: a renewal refused or not achieved within
    /// `renewDeadline`, `leading` ending, or cancellation — and cancels `leading` at that moment, before waiting
    /// for a hung renewal to give up.
    private func hold(while leading: Task<Void, Never>) async -> TermOutcome {
        let renewed = RenewalTime(clock.elapsed)
        let outcome = await withTaskGroup(of: TermOutcome.self) { group in
            group.addTask { [self] in
                while true {
                    do {
                        try await clock.sleep(for: timing.retryPeriod)
                    } catch {
                        return .cancelled
                    }
                    do {
                        guard try await tryAcquireOrRenew() else { return .lost }
                        renewed.set(clock.elapsed)
                    } catch {
                        if Task.isCancelled { return .cancelled }
                        logger.warning("lease renewal failed: \(error)")
                    }
                }
            }
            group.addTask { [self] in
                while true {
                    let remaining = renewed.get() + timing.renewDeadline - clock.elapsed
                    if remaining <= .zero { return .lost }
                    do {
                        try await clock.sleep(for: remaining)
                    } catch {
                        return .cancelled
                    }
                }
            }
            group.addTask {
                await leading.value
                return .leadEnded
            }
            let first = await group.next() ?? .cancelled
            leading.cancel()
            group.cancelAll()
            return first
        }
        return Task.isCancelled ? .cancelled : outcome
    }

    /// Tries until this candidate holds the lease; false when cancelled first. A standby tries again every
    /// `retryPeriod`, and also at the moment the lease it watches would expire.
    private func acquire() async -> Bool {
        while !Task.isCancelled {
            do {
                if try await tryAcquireOrRenew() { return true }
            } catch {
                logger.debug("lease acquisition failed: \(error)")
            }
            var wait = timing.retryPeriod
            let untilExpiry = timing.leaseDuration - observed.age
            if untilExpiry > .zero, untilExpiry < wait { wait = untilExpiry }
            do {
                try await clock.sleep(for: wait)
            } catch {
                return false
            }
        }
        return false
    }

    /// One attempt: create the lease, renew it if held, or take it over if expired. Returns whether this
    /// candidate holds the lease afterwards.
    func tryAcquireOrRenew() async throws -> Bool {
        let now = Timestamp.microString(Date())
        let current: JSONValue
        do {
            current = try await client.get(.lease, namespace: namespace, name: name)
        } catch let status as APIStatus where status.code == 404 {
            let lease: JSONValue = [
                "apiVersion": .string(ResourceKind.lease.apiVersion), "kind": "Lease",
                "metadata": ["name": .string(name), "namespace": .string(namespace)],
                "spec": [
                    "holderIdentity": .string(identity), "leaseDurationSeconds": .int(Int64(timing.leaseDuration.seconds)),
                    "acquireTime": .string(now), "renewTime": .string(now), "leaseTransitions": 0,
                ],
            ]
            do {
                let created = try await client.create(.lease, lease)
                observed.record(created)
                return true
            } catch let status as APIStatus where status.code == 409 {
                return false
            }
        }
        let holder = current[path: ["spec", "holderIdentity"]]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let changed = observed.record(current)
        if holder == identity { return try await write(current, now: now, takeOver: false) }
        // Nobody holds it, or its holder has not renewed it for a whole lease as this candidate saw it.
        if holder == nil || (!changed && observed.age >= timing.leaseDuration) {
            return try await write(current, now: now, takeOver: true)
        }
        return false
    }

    private func write(_ current: JSONValue, now: String, takeOver: Bool) async throws -> Bool {
        var lease = current
        var spec = current["spec"]?.objectValue ?? [:]
        spec["renewTime"] = .string(now)
        spec["leaseDurationSeconds"] = .int(Int64(timing.leaseDuration.seconds))
        if takeOver {
            spec["holderIdentity"] = .string(identity)
            spec["acquireTime"] = .string(now)
            spec["leaseTransitions"] = .int((spec["leaseTransitions"]?.intValue ?? 0) + 1)
        }
        lease["spec"] = .object(spec)
        do {
            let written = try await client.update(.lease, lease)
            observed.record(written)
            return true
        } catch let status as APIStatus where status.code == 409 {
            return false
        }
    }

    /// Gives the lease up (no holder), so a successor need not wait for it to expire; only if this candidate
    /// still holds it. Best effort: on failure the lease simply expires.
    func release() async {
        do {
            let current = try await client.get(.lease, namespace: namespace, name: name)
            guard current[path: ["spec", "holderIdentity"]]?.stringValue == identity else { return }
            var lease = current
            var spec = current["spec"]?.objectValue ?? [:]
            spec.removeValue(forKey: "holderIdentity")
            spec["renewTime"] = .string(Timestamp.microString(Date()))
            lease["spec"] = .object(spec)
            _ = try await client.update(.lease, lease)
            logger.info("\(identity) released the lease")
        } catch {
            logger.warning("releasing the lease failed (it will expire): \(error)")
        }
    }
}

/// When the leader last renewed, on the election clock.
final class RenewalTime: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Duration

    init(_ value: Duration) { self.value = value }

    func set(_ time: Duration) { lock.withLock { value = time } }
    func get() -> Duration { lock.withLock { value } }
}

/// The lease record last seen and when it was first seen in that state.
final class ObservedLease: @unchecked Sendable {
    private let lock = NSLock()
    private let clock: any ElectionClock
    private var spec: JSONValue?
    private var since: Duration

    init(clock: any ElectionClock) {
        self.clock = clock
        since = clock.elapsed
    }

    /// Remembers the lease's spec; returns whether it differs from the one seen before.
    @discardableResult
    func record(_ lease: JSONValue) -> Bool {
        lock.withLock {
            let next = lease["spec"]
            guard next != spec else { return false }
            spec = next
            since = clock.elapsed
            return true
        }
    }

    /// How long the current record has been unchanged.
    var age: Duration { clock.elapsed - lock.withLock { since } }
}
