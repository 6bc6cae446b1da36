#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An address a transfer is about to connect to: the one actually connected to, after DNS (and after any
/// `resolveOverrides`), so a name that resolves differently at connect time than when it was checked
/// (DNS rebinding) is still caught.
public struct ConnectAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 (IPv4) or 16 (IPv6) network-order bytes.
    public let bytes: [UInt8]
    /// The TCP port.
    public let port: Int

    /// An address.
    public init(bytes: [UInt8], port: Int) {
        self.bytes = bytes
        self.port = port
    }

    /// `127.0.0.1`, `::1`.
    public var description: String {
        var text = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        guard bytes.count == 4 || bytes.count == 16, inet_ntop(family, bytes, &text, 64) != nil else {
            return bytes.map { String($0) }.joined(separator: ".")
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Decides, on the transfer's thread and before the socket is opened, whether a transfer may connect to an
/// address (libcurl's open-socket callback). The closure returns why an address is refused, or `nil` to allow
/// it. Two filters are equal when they are the same filter.
public struct ConnectFilter: Sendable, Hashable {
    private final class Decision: Sendable {
        let refusal: @Sendable (ConnectAddress) -> String?
        init(_ refusal: @escaping @Sendable (ConnectAddress) -> String?) { self.refusal = refusal }
    }
    private let decision: Decision

    /// A filter; `refusal` returns the reason an address is refused (`127.0.0.1, a loopback address …`), or
    /// `nil` to allow it.
    public init(_ refusal: @escaping @Sendable (ConnectAddress) -> String?) {
        decision = Decision(refusal)
    }

    /// Why the address is refused, or `nil` when it is allowed.
    public func refusal(for address: ConnectAddress) -> String? { decision.refusal(address) }

    /// Whether both are the same filter (closures cannot be compared by what they do).
    public static func == (lhs: ConnectFilter, rhs: ConnectFilter) -> Bool { lhs.decision === rhs.decision }

    /// Hashes the filter's identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(decision)) }
}
