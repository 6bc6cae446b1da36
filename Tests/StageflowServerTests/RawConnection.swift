import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bare TCP connection to the test server, to watch a stream as it arrives and to hang up mid-stream, which
/// the buffered test clients cannot do.
final class RawConnection: @unchecked Sendable {
    private var descriptor: Int32 = -1
    private var received = Data()

    /// Connects to `port` on the loopback interface (IPv4, then IPv6).
    init(port: Int) throws {
        for family in [AF_INET, AF_INET6] {
            #if canImport(Glibc)
                let socketType = Int32(SOCK_STREAM.rawValue)
            #else
                let socketType = SOCK_STREAM
            #endif
            let fd = socket(family, socketType, 0)
            guard fd >= 0 else { continue }
            var connected: Int32 = -1
            if family == AF_INET {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            } else {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = in_port_t(UInt16(port).bigEndian)
                address.sin6_addr = in6addr_loopback
                connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                    }
                }
            }
            if connected == 0 {
                descriptor = fd
                return
            }
            _ = close(fd)
        }
        throw CocoaError(.fileReadUnknown)
    }

    /// Sends text as is.
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Reads until the received text contains `marker` (returning everything so far) or the time is up. It
    /// polls without blocking and sleeps between polls, so that it never holds one of the few cooperative threads
    /// the in-process server needs to answer.
    func read(until marker: String, timeout: Duration = .seconds(60)) async -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !String(decoding: received, as: UTF8.self).contains(marker), ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Hangs up.
    func hangUp() {
        if descriptor >= 0 {
            #if canImport(Glibc)
                _ = Glibc.close(descriptor)
            #else
                _ = Darwin.close(descriptor)
            #endif
            descriptor = -1
        }
    }

    deinit { hangUp() }
}
