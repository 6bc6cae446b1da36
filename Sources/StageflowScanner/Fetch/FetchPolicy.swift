import StageflowHTTP

/// Decides whether a URL may be fetched. `PageFetcher` asks before every request, including every redirect
/// hop, so the target policy (SSRF rules: blocked address ranges, private targets, credentials in URLs) has
/// exactly one place to hook in. A refusal becomes a page error or a `blocked-link` finding, never a crash.
public protocol FetchPolicy: Sendable {
    /// Returns normally when `address` may be fetched; throws `FetchPolicyViolation` saying why not.
    func check(_ address: WebAddress) async throws
    /// Checked by libcurl for the address each connection actually goes to; `nil` for none.
    var connectFilter: ConnectFilter? { get }
}

extension FetchPolicy {
    /// No connect-time check.
    public var connectFilter: ConnectFilter? { nil }
}

/// Why a fetch policy refused a URL.
public struct FetchPolicyViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was refused and why, for the person reading the report.
    public let reason: String

    /// A refusal.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}

/// Lets every `http`/`https` URL through, except ones that carry credentials; the default until the target
/// policy is configured.
public struct PermissiveFetchPolicy: FetchPolicy {
    /// A permissive policy.
    public init() {}

    /// Refuses only URLs with user info.
    public func check(_ address: WebAddress) async throws {
        if address.url.user != nil {
            throw FetchPolicyViolation(reason: "URLs with credentials are not fetched")
        }
    }
}
