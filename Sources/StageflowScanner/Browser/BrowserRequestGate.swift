/// The request gate of the runner's browser: every request a page makes, subresources included, passes the same
/// fetch policy as the runner's own requests, and a refusal is a page error naming the URL. This is the first
/// line, where URLs are visible; what the DevTools interception does not see (workers, WebSockets, prefetches)
/// is held by the egress proxy under the tab (`TabOptions.egress`), which also fails unreachable hosts at once.
public struct BrowserRequestGate: RequestGate {
    let policy: any FetchPolicy

    /// A gate applying `policy`.
    public init(policy: any FetchPolicy) { self.policy = policy }

    /// Blocks what `policy` refuses, naming its reason.
    public func decide(_ url: String, isDocument: Bool) async -> RequestDecision {
        guard let address = WebAddress(url) else { return .allow }
        do {
            try await policy.check(address)
        } catch let violation as FetchPolicyViolation {
            return .block(reason: violation.reason)
        } catch {
            return .block(reason: "\(error)")
        }
        return .allow
    }
}
