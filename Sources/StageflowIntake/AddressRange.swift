/// A block of addresses that targets may not lie in, with what it is for, as messages name it.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block.
    public let network: IPAddress
    /// The number of leading bits that identify the block.
    public let prefixLength: Int
    /// What the block is, with its article: `a loopback address`, `a link-local address`.
    public let kind: String
    /// Whether the private-targets policy opens the block (RFC 1918, loopback); the others never open.
    public let isPrivate: Bool

    init(_ network: String, _ prefixLength: Int, _ kind: String, isPrivate: Bool = false) {
        self.network = IPAddress(network)!
        self.prefixLength = prefixLength
        self.kind = kind
        self.isPrivate = isPrivate
    }

    /// Whether the address lies in the block (an IPv4 block never contains an IPv6 address, and back).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (lhs, rhs) in zip(address.bytes, network.bytes) {
            if remaining <= 0 { return true }
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if lhs & mask != rhs & mask { return false }
            remaining -= 8
        }
        return true
    }

    /// `10.0.0.0/8`.
    public var description: String { "\(network)/\(prefixLength)" }

    /// The blocks refused under every policy (`docs/architecture.md`, Limits).
    public static let alwaysBlocked: [AddressRange] = [
        AddressRange("0.0.0.0", 8, "a \"this network\" address"),
        AddressRange("100.64.0.0", 10, "a carrier-grade NAT address"),
        AddressRange("169.254.0.0", 16, "a link-local address"),
        AddressRange("192.0.0.0", 24, "an IETF protocol assignment address"),
        AddressRange("192.0.2.0", 24, "a documentation address"),
        AddressRange("198.18.0.0", 15, "a benchmarking address"),
        AddressRange("198.51.100.0", 24, "a documentation address"),
        AddressRange("203.0.113.0", 24, "a documentation address"),
        AddressRange("224.0.0.0", 4, "a multicast address"),
        AddressRange("240.0.0.0", 4, "a reserved or broadcast address"),
        AddressRange("::", 128, "the unspecified address"),
        AddressRange("100::", 64, "a discard-only address"),
        AddressRange("2001:db8::", 32, "a documentation address"),
        AddressRange("fc00::", 7, "a unique local address"),
        AddressRange("fe80::", 10, "a link-local address"),
        AddressRange("fec0::", 10, "a site-local address"),
        AddressRange("ff00::", 8, "a multicast address"),
    ]

    /// The blocks only an explicit private-targets policy opens.
    public static let privateRanges: [AddressRange] = [
        AddressRange("10.0.0.0", 8, "a private address", isPrivate: true),
        AddressRange("127.0.0.0", 8, "a loopback address", isPrivate: true),
        AddressRange("172.16.0.0", 12, "a private address", isPrivate: true),
        AddressRange("192.168.0.0", 16, "a private address", isPrivate: true),
        AddressRange("::1", 128, "a loopback address", isPrivate: true),
    ]
}
