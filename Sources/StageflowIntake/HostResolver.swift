#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Resolves a host name to every address it has: the seam between the URL policy and DNS.
public protocol HostResolver: Sendable {
    /// Every IPv4 and IPv6 address of the name; throws `HostResolutionError` when it has none.
    func addresses(of host: String) async throws -> [IPAddress]
}

/// A name that did not resolve, with the resolver's explanation.
public struct HostResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name.
    public let host: String
    /// Why (`Name or service not known`).
    public let message: String

    /// An error.
    public init(host: String, message: String) {
        self.host = host
        self.message = message
    }

    /// `example.invalid: Name or service not known`.
    public var description: String { "\(host): \(message)" }
}

/// The system resolver, `getaddrinfo` with `AF_UNSPEC`, run on a thread of its own so that a slow DNS
/// answer never holds a thread of Swift's cooperative pool.
public struct SystemHostResolver: HostResolver {
    /// A resolver.
    public init() {}

    /// Every address `getaddrinfo` returns, IPv4 and IPv6, without duplicates, in its order.
    public func addresses(of host: String) async throws -> [IPAddress] {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try Self.resolve(host) })
            }
            thread.name = "resolve \(host)"
            thread.start()
        }
    }

    static func resolve(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            throw HostResolutionError(host: host, message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var cursor = list
        while let entry = cursor {
            if let address = IPAddress(sockaddr: entry.pointee.ai_addr), !addresses.contains(address) {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw HostResolutionError(host: host, message: "no addresses") }
        return addresses
    }
}

extension IPAddress {
    /// The address of an `AF_INET` or `AF_INET6` socket address; `nil` for other families.
    init?(sockaddr pointer: UnsafeMutablePointer<sockaddr>?) {
        guard let pointer else { return nil }
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            let bytes = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                withUnsafeBytes(of: address.pointee.sin_addr) { Array($0) }
            }
            self.init(bytes: bytes)
        case AF_INET6:
            let bytes = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                withUnsafeBytes(of: address.pointee.sin6_addr) { Array($0) }
            }
            self.init(bytes: bytes)
        default:
            return nil
        }
    }
}

/// A resolver answering from a fixed table, for tests and fuzzing: names not in it do not resolve.
public struct StaticHostResolver: HostResolver {
    /// Lower-case name → addresses, in the order they are answered.
    public var table: [String: [IPAddress]]

    /// A resolver over a table.
    public init(_ table: [String: [IPAddress]]) {
        self.table = table
    }

    /// The table's addresses for the name.
    public func addresses(of host: String) async throws -> [IPAddress] {
        try lookup(host)
    }

    /// The table's addresses for the name, synchronously.
    public func lookup(_ host: String) throws -> [IPAddress] {
        guard let addresses = table[host.lowercased()], !addresses.isEmpty else {
            throw HostResolutionError(host: host, message: "Name or service not known")
        }
        return addresses
    }
}
