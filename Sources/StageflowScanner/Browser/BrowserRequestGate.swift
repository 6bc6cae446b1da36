/// The request gate of the runner's browser: every request a page makes, subresources included, passes the same
/// fetch policy as the runner's own requests (a refusal is a page error), and requests to hosts that do not
/// resolve or answer are failed at once rather than left to time out.
struct BrowserRequestGate: RequestGate {
    let policy: any FetchPolicy
    let probe: (any ReachabilityProbe)?

    func decide(_ url: String, isDocument: Bool) async -> RequestDecision {
        guard let address = WebAddress(url) else { return .allow }
        do {
            try await policy.check(address)
        } catch let violation as FetchPolicyViolation {
            return .block(reason: violation.reason)
        } catch {
            return .block(reason: "\(error)")
        }
        // The document itself is left to the browser, so that its own error (DNS, refused) is what the page
        // error says.
        let port = address.url.port ?? (address.isSecure ? 443 : 80)
        if !isDocument, let probe, !address.host.isEmpty, await !probe.isReachable(host: address.host, port: port) {
            return .unreachable
        }
        return .allow
    }
}
