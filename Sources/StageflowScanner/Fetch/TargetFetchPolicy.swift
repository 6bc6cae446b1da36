import StageflowHTTP
import StageflowIntake

/// The target policy at scan time, for every request a scanner makes and every request a page makes in the
/// browser: the URL and every address its host resolves to must pass `TargetURLPolicy` (the ranges of `docs/architecture.md`, Limits;
/// private ones only when the job may reach them; the job's own archive origin always), on every redirect hop,
/// and again inside libcurl for the address actually connected to, so that a name resolving differently at
/// connect time (DNS rebinding) is still refused.
///
/// A host that does not resolve is let through here: the request then fails as the network fails it, and is
/// reported as unreachable, not as blocked.
public struct TargetFetchPolicy: FetchPolicy {
    /// The policy applied.
    public let policy: TargetURLPolicy
    private let verdicts = VerdictCache()

    /// The policy of a job.
    public init(policy: TargetURLPolicy) {
        self.policy = policy
    }

    /// Refuses `address` when the policy does.
    public func check(_ address: WebAddress) async throws {
        let url = address.url.absoluteString
        if let known = await verdicts.verdict(for: address.origin) {
            if let reason = known { throw FetchPolicyViolation(reason: reason) }
            return
        }
        var refusal: String?
        do {
            _ = try await policy.check(url)
        } catch {
            if error.reason != .unresolvable { refusal = error.message }
        }
        await verdicts.remember(refusal, for: address.origin)
        if let refusal { throw FetchPolicyViolation(reason: refusal) }
    }

    /// The connect-time check of the same policy.
    public var connectFilter: ConnectFilter? {
        let addresses = policy.addressPolicy
        return ConnectFilter { candidate in
            guard let address = IPAddress(bytes: candidate.bytes) else { return "\(candidate) is not an IP address" }
            return addresses.verdict(for: address, port: candidate.port).refusal
        }
    }

    /// Verdicts by origin for the run: the policy resolves the host, and a scan asks about the same few origins
    /// thousands of times. The connect-time check still sees every connection.
    private actor VerdictCache {
        private var verdicts: [String: String?] = [:]

        func verdict(for origin: String) -> String?? { verdicts[origin] }
        func remember(_ refusal: String?, for origin: String) { verdicts[origin] = .some(refusal) }
    }
}
