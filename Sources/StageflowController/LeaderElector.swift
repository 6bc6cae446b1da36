import Foundation
import Logging
import StageflowAPI

/// Leader election through a `Lease` object, as client-go does it: the leader renews the lease every
/// `retryPeriod`; a standby takes over once it has seen the same lease record unchanged for `leaseDuration`
/// (judged by its own clock, so clock skew between machines does not matter). Two processes never both lead:
/// every acquisition and renewal is a compare-and-swap on the lease's resourceVersion.
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

    /// This candidate's identity, recorded as the lease holder.
    public let identity: String
    private let client: any ResourceClient
    private let namespace: String
    private let name: String
    private let timing: Timing
    private let logger: Logger
    private let observed = ObservedLease()

    /// A candidate for the lease `namespace/name`.
    public init(
        client: any ResourceClient, namespace: String = "stageflow-system", name: String = "stageflow-controller",
        identity: String = LeaderElector.defaultIdentity(), timing: Timing = .init(), logger: Logger
    ) {
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.timing = timing
        self.logger = logger
    }

    /// `hostname-pid-random`.
    public static func defaultIdentity() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Campaigns for the lease and runs `lead` while holding it; when leadership is lost, `lead` is cancelled and
    /// the campaign starts again. Returns when the calling task is cancelled.
    public func run(_ lead: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            await acquire()
            if Task.isCancelled { return }
            logger.info("\(identity) became the leader")
            let leading = Task { await lead() }
            await keepRenewing()
            leading.cancel()
            _ = await leading.value
            if Task.isCancelled {
                logger.info("\(identity) stepped down: shutting down")
                return
            }
            logger.warning("\(identity) lost the lease; standing by")
        }
    }

    private func acquire() async {
        while !Task.isCancelled {
            if (try? await tryAcquireOrRenew()) == true { return }
            try? await Task.sleep(for: timing.retryPeriod)
        }
    }

    private func keepRenewing() async {
        var lastRenewal = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: timing.retryPeriod)
            do {
                if try await tryAcquireOrRenew() {
                    lastRenewal = .now
                    continue
                }
                return
            } catch {
                logger.warning("lease renewal failed: \(error)")
                if lastRenewal.duration(to: .now) > timing.renewDeadline { return }
            }
        }
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
        let holder = current[path: ["spec", "holderIdentity"]]?.stringValue
        let changed = observed.record(current)
        if holder != identity {
            // Someone else holds it: only take over once their record has not changed for a whole lease.
            if holder != nil, !changed, observed.age > timing.leaseDuration {
                return try await write(current, now: now, takeOver: true)
            }
            if holder == nil { return try await write(current, now: now, takeOver: true) }
            return false
        }
        return try await write(current, now: now, takeOver: false)
    }

    private func write(_ current: JSONValue, now: String, takeOver: Bool) async throws -> Bool {
        var lease = current
        var spec = current["spec"]?.objectValue ?? [:]
        spec["renewTime"] = .string(now)
        if takeOver {
            spec["holderIdentity"] = .string(identity)
            spec["acquireTime"] = .string(now)
            spec["leaseTransitions"] = .int((spec["leaseTransitions"]?.intValue ?? 0) + 1)
            spec["leaseDurationSeconds"] = .int(Int64(timing.leaseDuration.seconds))
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
}

/// The lease record last seen and when it was first seen in that state.
final class ObservedLease: @unchecked Sendable {
    private let lock = NSLock()
    private var spec: JSONValue?
    private var since = ContinuousClock.now

    /// Remembers the lease's spec; returns whether it differs from the one seen before.
    @discardableResult
    func record(_ lease: JSONValue) -> Bool {
        lock.withLock {
            let next = lease["spec"]
            guard next != spec else { return false }
            spec = next
            since = .now
            return true
        }
    }

    /// How long the current record has been unchanged.
    var age: Duration { lock.withLock { since.duration(to: .now) } }
}
