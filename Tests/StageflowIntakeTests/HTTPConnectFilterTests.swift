#if canImport(Glibc)
import Glibc
#endif
import Foundation
import StageflowHTTP
import Testing
@testable import StageflowIntake

/// The connect-time check: libcurl asks the filter about every address it is about to connect to, after
/// DNS, so a name that resolved to a public address at intake and to a private one now is still refused.
@Suite struct HTTPConnectFilterTests {
    /// The connect filter an integrator builds from the job's policy.
    static func filter(_ policy: AddressPolicy, seen: AddressLog? = nil) -> ConnectFilter {
        ConnectFilter { candidate in
            seen?.append(candidate.description)
            guard let address = IPAddress(bytes: candidate.bytes) else { return "not an IP address" }
            return policy.verdict(for: address, port: candidate.port).refusal
        }
    }

    static func client() -> HTTPClient {
        HTTPClient(configuration: .init(timeout: .seconds(10), connectTimeout: .seconds(2), useEnvironmentProxy: false))
    }

    @Test func theOverrideReachesTheLoopbackServerWithoutAFilter() async throws {
        let server = try OneLineHTTPServer()
        defer { server.stop() }
        let request = HTTPRequest(
            url: URL(string: "http://target.test:\(server.port)/")!, resolveOverrides: ["target.test:\(server.port)": ["127.0.0.1"]])
        let response = try await Self.client().send(request)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "ok")
    }

    @Test func aPrivateSecondAddressIsRefusedAtConnectTime() async throws {
        let server = try OneLineHTTPServer()
        defer { server.stop() }
        let seen = AddressLog()
        // 93.184.215.14 is public: the filter allows it, and offline nothing answers there (no route, or
        // no reply before half the connect timeout), so curl moves on to 127.0.0.1, which the filter refuses.
        let request = HTTPRequest(
            url: URL(string: "http://rebind.test:\(server.port)/")!,
            connectFilter: Self.filter(AddressPolicy(), seen: seen),
            resolveOverrides: ["rebind.test:\(server.port)": ["93.184.215.14", "127.0.0.1"]])
        do {
            let response = try await Self.client().send(request)
            Issue.record("got a response: \(response.status)")
        } catch let error as HTTPError {
            #expect(error.blockedAddress == "127.0.0.1")
            #expect(error.kind == .couldNotConnect)
            #expect(error.message.contains("connection to 127.0.0.1 port \(server.port) refused: 127.0.0.1, a loopback address"))
        }
        #expect(seen.values == ["93.184.215.14", "127.0.0.1"])
        #expect(server.connections == 0)
    }

    @Test func oneRefusedAddressRefusesTheRest() async throws {
        let server = try OneLineHTTPServer()
        defer { server.stop() }
        let seen = AddressLog()
        let request = HTTPRequest(
            url: URL(string: "http://rebind.test:\(server.port)/")!, connectFilter: Self.filter(AddressPolicy(), seen: seen),
            resolveOverrides: ["rebind.test:\(server.port)": ["10.0.0.5", "127.0.0.1"]])
        await #expect(throws: HTTPError.self) { try await Self.client().send(request) }
        #expect(seen.values == ["10.0.0.5"])
        #expect(server.connections == 0)
    }

    @Test func theJobsOwnEndpointPassesTheFilter() async throws {
        let server = try OneLineHTTPServer()
        defer { server.stop() }
        let policy = AddressPolicy(allowedEndpoints: [.init(address: IPAddress("127.0.0.1")!, port: server.port)])
        var configuration = Self.client().configuration
        configuration.connectFilter = Self.filter(policy)
        let response = try await HTTPClient(configuration: configuration).send(
            HTTPRequest(url: URL(string: "http://127.0.0.1:\(server.port)/index.html")!))
        #expect(response.status == 200)
        let other = try OneLineHTTPServer()
        defer { other.stop() }
        do {
            _ = try await HTTPClient(configuration: configuration).send(HTTPRequest(url: URL(string: "http://127.0.0.1:\(other.port)/")!))
            Issue.record("connected to another loopback port")
        } catch let error as HTTPError {
            #expect(error.blockedAddress == "127.0.0.1")
        }
    }
}

/// Addresses a filter was asked about, in order.
final class AddressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ value: String) { lock.withLock { list.append(value) } }
    var values: [String] { lock.withLock { list } }
}

/// A loopback HTTP server answering every request with `200 ok`, counting connections.
final class OneLineHTTPServer: @unchecked Sendable {
    let port: Int
    private let socketDescriptor: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var stopped = false

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        socketDescriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var connections: Int { lock.withLock { accepted } }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(socketDescriptor, Int32(SHUT_RDWR))
        close(socketDescriptor)
    }

    private func serve() {
        while true {
            let client = accept(socketDescriptor, nil, nil)
            guard client >= 0 else { return }
            lock.withLock { accepted += 1 }
            var buffer = [UInt8](repeating: 0, count: 4096)
            var received: [UInt8] = []
            while !received.ends(with: Array("\r\n\r\n".utf8)) {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 { break }
                received += buffer[..<count]
            }
            let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)
            _ = reply.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            close(client)
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
