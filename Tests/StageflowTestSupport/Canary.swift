import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A server a scan must never reach: it listens on every address of the machine, on one TCP and one UDP port,
/// and records every connection and datagram that arrives (with the first bytes of each), so a test can say
/// exactly what got through.
public final class Canary: @unchecked Sendable {
    /// The port, TCP and UDP.
    public let port: Int
    private let tcp: Int32
    private let udp: Int32
    private let lock = NSLock()
    private var seen: [String] = []
    private var stopped = false

    /// Listens on a free port of 0.0.0.0.
    public init() throws {
        tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard tcp >= 0, udp >= 0 else { throw E2EError("cannot open canary sockets") }
        var one: Int32 = 1
        setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        address.sin_port = 0
        guard Self.bind(tcp, &address) == 0, listen(tcp, 64) == 0 else { throw E2EError("cannot bind the canary") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listener = tcp
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard Self.bind(udp, &address) == 0 else { throw E2EError("cannot bind the canary's UDP port \(port)") }
        Thread.detachNewThread { [weak self] in self?.acceptLoop() }
        Thread.detachNewThread { [weak self] in self?.receiveLoop() }
    }

    /// What reached the canary: one line per connection or datagram.
    public var arrivals: [String] { lock.withLock { seen } }

    /// Stops listening.
    public func stop() {
        lock.withLock { stopped = true }
        shutdown(tcp, Int32(SHUT_RDWR))
        close(tcp)
        shutdown(udp, Int32(SHUT_RDWR))
        close(udp)
    }

    /// A non-loopback IPv4 address of this machine (the primary interface's), or 127.0.0.2 when it has none:
    /// a second way to the canary that is not loopback.
    public static func secondAddress() -> String {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return "127.0.0.2" }
        defer { freeifaddrs(list) }
        var cursor = list
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, Int32(address.pointee.sa_family) == AF_INET else { continue }
            let ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            let bytes = withUnsafeBytes(of: ipv4) { Array($0) }
            guard bytes[0] != 127 else { continue }
            return bytes.map(String.init).joined(separator: ".")
        }
        return "127.0.0.2"
    }

    private static func bind(_ descriptor: Int32, _ address: inout sockaddr_in) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(tcp, nil, nil)
            if client < 0 { return }
            var buffer = [UInt8](repeating: 0, count: 200)
            var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            let count = poll(&poller, 1, 500) > 0 ? recv(client, &buffer, buffer.count, 0) : 0
            let first = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? "" : ""
            lock.withLock { seen.append("tcp: \(first)") }
            close(client)
        }
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = recv(udp, &buffer, buffer.count, 0)
            if count < 0 || lock.withLock({ stopped }) { return }
            lock.withLock { seen.append("udp: \(count) bytes") }
        }
    }
}
