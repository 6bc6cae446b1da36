import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Says whether a host answers at all, so that the browser can fail requests to hosts that cannot be reached
/// instead of waiting for its own timeouts: scans behind firewalls or offline would otherwise spend seconds per
/// page on web fonts and badges from other hosts.
public protocol ReachabilityProbe: Sendable {
    /// Whether a TCP connection to `host:port` can be opened.
    func isReachable(host: String, port: Int) async -> Bool
}

/// Resolves the host and opens (and closes) one TCP connection, each with a short timeout; the answer is kept
/// for the whole run, and concurrent questions about one host share one probe.
public actor HostReachability: ReachabilityProbe {
    private var answers: [String: Task<Bool, Never>] = [:]
    private let timeout: Duration

    /// A probe giving up after `timeout` for the lookup and again for the connection.
    public init(timeout: Duration = .milliseconds(1500)) {
        self.timeout = timeout
    }

    /// Whether `host:port` answered (cached per host and port).
    public func isReachable(host: String, port: Int) async -> Bool {
        let key = "\(host):\(port)"
        if let answer = answers[key] { return await answer.value }
        let timeout = timeout
        let answer = Task.detached { await Self.probe(host: host, port: port, timeout: timeout) }
        answers[key] = answer
        return await answer.value
    }

    private static func probe(host: String, port: Int, timeout: Duration) async -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard let addresses = await resolve(bare, port: port, timeout: timeout), !addresses.isEmpty else { return false }
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        for address in addresses.prefix(2) where connects(to: address, timeoutMilliseconds: milliseconds) {
            return true
        }
        return false
    }

    /// `getaddrinfo` on a thread of its own, abandoned after `timeout` (it cannot be cancelled).
    private static func resolve(_ host: String, port: Int, timeout: Duration) async -> [Data]? {
        let result = ResolveResult()
        let thread = Thread {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_family = AF_UNSPEC
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0 else {
                result.finish(nil)
                return
            }
            var addresses: [Data] = []
            var entry = list
            while let current = entry {
                if let address = current.pointee.ai_addr {
                    addresses.append(Data(bytes: address, count: Int(current.pointee.ai_addrlen)))
                }
                entry = current.pointee.ai_next
            }
            freeaddrinfo(list)
            result.finish(addresses)
        }
        thread.start()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let answer = result.answer { return answer }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return result.answer ?? nil
    }

    /// A non-blocking connect, waited for with `poll`.
    private static func connects(to address: Data, timeoutMilliseconds: Int32) -> Bool {
        address.withUnsafeBytes { raw -> Bool in
            guard let pointer = raw.baseAddress?.assumingMemoryBound(to: sockaddr.self) else { return false }
            let descriptor = socket(Int32(pointer.pointee.sa_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            if connect(descriptor, pointer, socklen_t(raw.count)) == 0 { return true }
            guard errno == EINPROGRESS else { return false }
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, timeoutMilliseconds) == 1 else { return false }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            return error == 0
        }
    }
}

/// The answer of a lookup thread.
private final class ResolveResult: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [Data]??

    var answer: [Data]?? { lock.withLock { value } }

    func finish(_ addresses: [Data]?) {
        lock.withLock { value = .some(addresses) }
    }
}
