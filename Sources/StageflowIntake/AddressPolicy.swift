/// Which addresses a job may connect to: the pure check behind the URL policy, repeated at connect time on
/// the address actually being connected to (so a name that resolves differently the second time, DNS
/// rebinding, gains nothing).
public struct AddressPolicy: Sendable, Hashable {
    /// One address and port a job may reach even in a private range: the job's own static file server.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// The address.
        public var address: IPAddress
        /// The TCP port.
        public var port: Int

        /// An endpoint.
        public init(address: IPAddress, port: Int) {
            self.address = address
            self.port = port
        }

        /// `127.0.0.1:8080`, `[::1]:8080`.
        public var description: String { address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)" }
    }

    /// Open the private ranges (RFC 1918, loopback); the always-blocked ranges stay blocked.
    public var allowPrivateTargets: Bool
    /// Endpoints reachable whatever `allowPrivateTargets` says (never in an always-blocked range).
    public var allowedEndpoints: Set<Endpoint>

    /// A policy; by default only public addresses.
    public init(allowPrivateTargets: Bool = false, allowedEndpoints: Set<Endpoint> = []) {
        self.allowPrivateTargets = allowPrivateTargets
        self.allowedEndpoints = allowedEndpoints
    }

    /// Whether a connection to the address (and port, when known) is allowed, and if not, why.
    public func verdict(for address: IPAddress, port: Int? = nil) -> AddressVerdict {
        var checked = address
        var form: String?
        var range = Self.range(containing: address)
        if range == nil, let embedded = address.embeddedIPv4 {
            checked = embedded.address
            form = embedded.form
            range = Self.range(containing: embedded.address)
        }
        guard let range else { return AddressVerdict(address: address, checkedAs: checked, form: form, blockedBy: nil) }
        if range.isPrivate {
            if allowPrivateTargets {
                return AddressVerdict(address: address, checkedAs: checked, form: form, blockedBy: nil)
            }
            if let port, allowedEndpoints.contains(where: { $0.port == port && ($0.address == address || $0.address == checked) }) {
                return AddressVerdict(address: address, checkedAs: checked, form: form, blockedBy: nil)
            }
        }
        return AddressVerdict(address: address, checkedAs: checked, form: form, blockedBy: range)
    }

    static func range(containing address: IPAddress) -> AddressRange? {
        AddressRange.alwaysBlocked.first { $0.contains(address) } ?? AddressRange.privateRanges.first { $0.contains(address) }
    }
}

/// The outcome of checking one address against an `AddressPolicy`.
public struct AddressVerdict: Sendable, Hashable {
    /// The address checked.
    public let address: IPAddress
    /// The address the decision was made on: the IPv4 address an IPv6 one carries, else the address itself.
    public let checkedAs: IPAddress
    /// How the IPv6 address carries `checkedAs` (`IPv4-mapped`, `NAT64`, …), when it does.
    public let form: String?
    /// The range that blocks the address; `nil` when it is allowed.
    public let blockedBy: AddressRange?

    /// Whether the address may be connected to.
    public var isAllowed: Bool { blockedBy == nil }

    /// Why the address is refused, or `nil`: `127.0.0.1, a loopback address (127.0.0.0/8); private targets
    /// are not allowed for this job`.
    public var refusal: String? {
        guard let range = blockedBy else { return nil }
        var text = "\(address)"
        if let form { text += " (\(form) \(checkedAs))" }
        text += ", \(range.kind) (\(range))"
        text += range.isPrivate ? "; private targets are not allowed for this job" : ", which is never allowed"
        return text
    }
}
