import Foundation
import NIOCore
import NIOPosix
import StageflowIntake
import Testing

@testable import StageflowScanner

/// A TCP listener on loopback that counts the connections that reach it and answers each with "canary".
final class Canary: @unchecked Sendable {
    let port: Int
    private let channel: any Channel
    private let counter: ConnectionCounter

    init(host: String = "127.0.0.1") async throws {
        let counter = ConnectionCounter()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                counter.increment()
                return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(GreetAndClose()) }
            }
            .bind(host: host, port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.counter = counter
    }

    var connections: Int { counter.value }

    func stop() async { try? await channel.close() }
}

/// Answers a connection with "canary" and closes it, once the connection is up.
final class GreetAndClose: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: "canary"))).whenComplete { _ in context.close(promise: nil) }
    }
}

final class ConnectionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// A name that resolves to what the test says.
struct FixedResolver: HostResolver {
    let answers: [String: [IPAddress]]
    func addresses(of host: String) async throws -> [IPAddress] {
        guard let found = answers[host] else { throw HostResolutionError(host: host, message: "no such name") }
        return found
    }
}

/// Speaks SOCKS5 to the proxy: greeting, CONNECT, then whatever the target sends.
enum SOCKS5Client {
    /// The reply code, and what the target sent when the connection was made.
    static func connect(proxyPort: Int, host: String, port: Int) async throws -> (reply: UInt8, received: String) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: proxyPort) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var bytes: [UInt8] = []
            var iterator = inbound.makeAsyncIterator()
            func read(_ count: Int) async throws -> [UInt8]? {
                while bytes.count < count {
                    guard let chunk = try await iterator.next() else { return nil }
                    bytes += chunk.readableBytesView
                }
                defer { bytes.removeFirst(count) }
                return Array(bytes.prefix(count))
            }
            try await outbound.write(ByteBuffer(bytes: [5, 1, 0]))
            guard try await read(2) == [5, 0] else { return (255, "") }
            let name = Array(host.utf8)
            try await outbound.write(ByteBuffer(bytes: [5, 1, 0, 3, UInt8(name.count)] + name + [UInt8(port >> 8), UInt8(port & 0xff)]))
            guard let reply = try await read(10) else { return (255, "") }
            guard reply[1] == 0 else { return (reply[1], "") }
            var text = String(decoding: bytes, as: UTF8.self)
            while let chunk = try await iterator.next() { text += String(buffer: chunk) }
            return (0, text)
        }
    }
}

@Suite("The egress proxy")
struct EgressProxyTests {
    @Test("private addresses are refused unless allowed; the allowed endpoint is reached through the proxy")
    func policyAtConnectTime() async throws {
        let canary = try await Canary()
        let resolver = FixedResolver(answers: ["canary.test": [IPAddress("127.0.0.1")!]])
        let closed = try await EgressProxy.start(policy: EgressPolicy(addresses: AddressPolicy(), resolver: resolver))
        let refused = try await SOCKS5Client.connect(proxyPort: closed.port, host: "canary.test", port: canary.port)
        #expect(refused.reply == 2, "not allowed by the ruleset")
        let literal = try await SOCKS5Client.connect(proxyPort: closed.port, host: "127.0.0.1", port: canary.port)
        #expect(literal.reply == 2)
        let blocked = closed.log.drain()
        #expect(blocked.map(\.target) == ["canary.test:\(canary.port)", "127.0.0.1:\(canary.port)"])
        #expect(blocked.allSatisfy { $0.blocked && $0.reason.contains("loopback") }, "\(blocked)")
        await closed.close()

        let allowed = AddressPolicy(allowedEndpoints: [.init(address: IPAddress("127.0.0.1")!, port: canary.port)])
        let open = try await EgressProxy.start(policy: EgressPolicy(addresses: allowed, resolver: resolver))
        let reached = try await SOCKS5Client.connect(proxyPort: open.port, host: "canary.test", port: canary.port)
        #expect(reached.reply == 0)
        #expect(reached.received == "canary")
        let otherPort = try await SOCKS5Client.connect(proxyPort: open.port, host: "127.0.0.1", port: canary.port + 1)
        #expect(otherPort.reply == 2, "only the allowed endpoint, not its neighbours")
        await open.close()
        #expect(canary.connections == 1)
        await canary.stop()
    }

    @Test("a name with one blocked address is refused; an unresolvable one fails closed and fast afterwards")
    func namesAreResolvedOnce() async throws {
        let canary = try await Canary()
        let resolver = FixedResolver(answers: ["rebind.test": [IPAddress("93.184.216.34")!, IPAddress("127.0.0.1")!]])
        let proxy = try await EgressProxy.start(policy: EgressPolicy(addresses: AddressPolicy(allowPrivateTargets: false), resolver: resolver))
        let mixed = try await SOCKS5Client.connect(proxyPort: proxy.port, host: "rebind.test", port: canary.port)
        #expect(mixed.reply == 2)
        let missing = try await SOCKS5Client.connect(proxyPort: proxy.port, host: "missing.test", port: 80)
        #expect(missing.reply == 4, "host unreachable")
        let again = try await SOCKS5Client.connect(proxyPort: proxy.port, host: "missing.test", port: 80)
        #expect(again.reply == 4)
        let log = proxy.log.drain()
        #expect(log.filter(\.blocked).map(\.target) == ["rebind.test:\(canary.port)"])
        #expect(log.filter { !$0.blocked }.count == 2)
        #expect(canary.connections == 0)
        await proxy.close()
        await canary.stop()
    }

    @Test("endpoints the scanner refuses for itself (the DevTools port) stay closed even with private targets allowed")
    func ownEndpoints() async throws {
        let canary = try await Canary()
        var policy = EgressPolicy(addresses: AddressPolicy(allowPrivateTargets: true))
        policy.refusedEndpoints = [.init(address: IPAddress("127.0.0.1")!, port: canary.port)]
        let proxy = try await EgressProxy.start(policy: policy)
        #expect(try await SOCKS5Client.connect(proxyPort: proxy.port, host: "127.0.0.1", port: canary.port).reply == 2)
        #expect(canary.connections == 0)
        await proxy.close()
        await canary.stop()
    }
}
