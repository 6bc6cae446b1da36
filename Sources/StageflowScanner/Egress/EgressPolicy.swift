import StageflowIntake

/// What the egress proxy lets a scan connect to: the target policy applied at connect time, to the addresses
/// actually connected. A host name is resolved once, every address it has is checked (one blocked address
/// refuses the name), and the connection goes to a checked address — there is no cached answer a later lookup
/// could change (DNS rebinding). A name that does not resolve fails closed.
public struct EgressPolicy: Sendable {
    /// The address ranges (blocked always, private unless allowed) and the endpoints a plan serves itself.
    public var addresses: AddressPolicy
    /// How names become addresses.
    public var resolver: any HostResolver
    /// Endpoints refused whatever the ranges say (the browser's own DevTools port on loopback, for example).
    public var refusedEndpoints: Set<AddressPolicy.Endpoint>
    /// Refuse every connection (the browser-wide default, under the per-tab proxies).
    public var refusesEverything = false

    /// A policy that lets nothing out.
    public static var nothing: EgressPolicy {
        var policy = EgressPolicy(addresses: AddressPolicy())
        policy.refusesEverything = true
        return policy
    }

    /// A policy.
    public init(
        addresses: AddressPolicy, resolver: any HostResolver = SystemHostResolver(),
        refusedEndpoints: Set<AddressPolicy.Endpoint> = []
    ) {
        self.addresses = addresses
        self.resolver = resolver
        self.refusedEndpoints = refusedEndpoints
    }

    /// The outcome for one connection request.
    public enum Decision: Sendable, Equatable {
        /// Connect to one of these addresses (all checked), in order.
        case connect([IPAddress])
        /// Refused by the policy, with the reason.
        case refuse(String)
        /// The name does not resolve.
        case unreachable(String)
    }

    /// Decides a connection to `host` (a name or an address literal) on `port`.
    public func decide(host: String, port: Int) async -> Decision {
        if refusesEverything { return .refuse("connections outside a scanned page's own browser context are not allowed") }
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else if host == "localhost" || host.hasSuffix(".localhost") {
            addresses = [IPAddress(ipv4: 0x7f00_0001), IPAddress("::1")!]
        } else {
            do {
                addresses = try await resolver.addresses(of: host)
            } catch {
                return .unreachable("\(host) does not resolve: \(error)")
            }
            if addresses.isEmpty { return .unreachable("\(host) has no addresses") }
        }
        for address in addresses {
            if refusedEndpoints.contains(where: { $0.port == port && $0.address == address }) {
                return .refuse("\(address) port \(port) belongs to the scanner itself")
            }
            if let refusal = self.addresses.verdict(for: address, port: port).refusal {
                return .refuse(refusal)
            }
        }
        return .connect(addresses)
    }
}
