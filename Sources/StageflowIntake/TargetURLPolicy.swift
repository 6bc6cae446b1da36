/// The SSRF policy for the URLs a job fetches: parse strictly, resolve the host, check every address; one
/// blocked address rejects the URL. The same decisions are repeated at connect time through
/// `addressPolicy`, on the address actually connected to.
public struct TargetURLPolicy: Sendable {
    /// Open the private ranges (RFC 1918, loopback): the server's `--allow-private-targets` and the job's
    /// `spec.allowPrivateTargets` together.
    public var allowPrivateTargets: Bool
    /// Origins allowed whatever `allowPrivateTargets` says, such as the ZIP job's own loopback file server;
    /// the always-blocked ranges stay blocked even for them. Give them with an IP literal host so that the
    /// connect-time check can honour them too.
    public var allowedOrigins: Set<TargetOrigin>
    /// How host names become addresses.
    public var resolver: any HostResolver

    /// A policy; by default public addresses only, resolved by the system resolver.
    public init(
        allowPrivateTargets: Bool = false, allowedOrigins: Set<TargetOrigin> = [],
        resolver: any HostResolver = SystemHostResolver()
    ) {
        self.allowPrivateTargets = allowPrivateTargets
        self.allowedOrigins = allowedOrigins
        self.resolver = resolver
    }

    /// Parses, resolves and checks a URL (a target, or a redirect's `Location` made absolute).
    public func check(_ urlString: String) async throws(TargetURLRejection) -> CheckedTarget {
        let url = try TargetURL.parse(urlString)
        let addresses: [IPAddress]
        switch url.host {
        case .address(let address):
            addresses = [address]
        case .name(let name):
            if let loopback = Self.loopbackName(name) {
                addresses = loopback
            } else {
                do {
                    addresses = try await resolver.addresses(of: name)
                } catch {
                    throw TargetURLRejection(
                        .unresolvable, url: urlString, message: "host \(url.hostAsWritten) does not resolve: \(error)")
                }
            }
        }
        return try evaluate(url, addresses: addresses, as: urlString).get()
    }

    /// The decision on a parsed URL whose host has these addresses, without resolving: pure.
    public func evaluate(_ url: TargetURL, addresses: [IPAddress], as urlString: String? = nil)
        -> Result<CheckedTarget, TargetURLRejection>
    {
        let given = urlString ?? url.description
        guard !addresses.isEmpty else {
            return .failure(TargetURLRejection(.unresolvable, url: given, message: "host \(url.hostAsWritten) has no addresses"))
        }
        // At intake the whole origin (scheme, host, port) must match; at connect time only the address and
        // port can be seen.
        let policy = AddressPolicy(allowPrivateTargets: allowPrivateTargets || allowedOrigins.contains(url.origin))
        for address in addresses {
            let verdict = policy.verdict(for: address, port: url.effectivePort)
            guard let refusal = verdict.refusal, let range = verdict.blockedBy else { continue }
            let verb: String
            if case .address = url.host { verb = "is" } else { verb = "resolves to" }
            return .failure(
                TargetURLRejection(
                    range.isPrivate ? .privateAddress : .alwaysBlockedAddress, url: given,
                    message: "host \(url.hostAsWritten) \(verb) \(refusal)"))
        }
        return .success(CheckedTarget(url: url, addresses: addresses))
    }

    /// The policy for connect-time checks: the same private-targets decision, and the allowed origins with
    /// an IP literal host as allowed endpoints.
    public var addressPolicy: AddressPolicy {
        var endpoints = Set<AddressPolicy.Endpoint>()
        for origin in allowedOrigins {
            if case .address(let address) = origin.host { endpoints.insert(.init(address: address, port: origin.port)) }
        }
        return AddressPolicy(allowPrivateTargets: allowPrivateTargets, allowedEndpoints: endpoints)
    }

    /// `localhost` and `*.localhost` are loopback whatever DNS says (browsers resolve them so themselves).
    static func loopbackName(_ name: String) -> [IPAddress]? {
        guard name == "localhost" || name.hasSuffix(".localhost") else { return nil }
        return [IPAddress(ipv4: 0x7f00_0001), IPAddress("::1")!]
    }
}

/// A URL that passed the policy: the normalised URL to fetch and every address its host had when checked.
public struct CheckedTarget: Sendable, Hashable, CustomStringConvertible {
    /// The parsed, normalised URL; fetch `url.description`, not the text given.
    public let url: TargetURL
    /// Every address checked (the literal, or all the name resolved to).
    public let addresses: [IPAddress]

    /// The normalised URL.
    public var description: String { url.description }
}
