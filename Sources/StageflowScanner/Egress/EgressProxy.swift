import Foundation
import NIOCore
import NIOPosix
import StageflowIntake

/// The one way out of a scan's browser: a SOCKS5 proxy on loopback that every connection of the browser (pages,
/// frames, workers, service workers, WebSockets, prefetches) is sent through. Each connection's target is
/// decided by `EgressPolicy` — resolved once, every address checked, then connected to that checked address — so
/// no browser feature the DevTools interception cannot see, and no name that changes its answer, reaches what
/// the policy refuses. Refusals and failures are written to `log`.
///
/// A target that could not be connected to is remembered for the proxy's life and failed at once afterwards, so
/// a page full of unreachable third-party hosts does not wait on each of them again.
public final class EgressProxy: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// What was refused or failed.
    public let log: EgressLog
    private let server: Task<Void, Never>
    private let state: EgressProxyState

    /// `socks5://127.0.0.1:PORT`, for Chromium's proxy settings.
    public var proxyServer: String { "socks5://127.0.0.1:\(port)" }

    /// Starts a proxy applying `policy`; a connection attempt gives up after `connectTimeout`.
    public static func start(
        policy: EgressPolicy, log: EgressLog = EgressLog(), connectTimeout: Duration = .seconds(5),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> EgressProxy {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        guard let port = listener.channel.localAddress?.port else {
            throw BrowserError.unavailable("the egress proxy has no port")
        }
        let state = EgressProxyState()
        let connection = EgressConnection(
            policy: policy, log: log, state: state, connectTimeout: connectTimeout, group: group)
        let server = Task<Void, Never> {
            try? await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await client in inbound {
                        group.addTask { await connection.serve(client) }
                    }
                }
            }
        }
        return EgressProxy(port: port, log: log, server: server, state: state)
    }

    private init(port: Int, log: EgressLog, server: Task<Void, Never>, state: EgressProxyState) {
        self.port = port
        self.log = log
        self.server = server
        self.state = state
    }

    /// Stops listening and closes every connection still open.
    public func close() async {
        server.cancel()
        await server.value
    }

    deinit {
        server.cancel()
    }
}

/// Targets that failed to connect, for failing them fast.
final class EgressProxyState: @unchecked Sendable {
    private let lock = NSLock()
    private var unreachable: [String: String] = [:]

    func failure(for target: String) -> String? { lock.withLock { unreachable[target] } }
    func remember(_ reason: String, for target: String) { lock.withLock { unreachable[target] = reason } }
}

/// Serves one client connection: the SOCKS5 handshake, the decision, the connection upstream, then bytes both
/// ways until either side is done.
struct EgressConnection: Sendable {
    let policy: EgressPolicy
    let log: EgressLog
    let state: EgressProxyState
    let connectTimeout: Duration
    let group: any EventLoopGroup

    func serve(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        try? await client.executeThenClose { inbound, outbound in
            let reader = SOCKS5Reader(inbound.makeAsyncIterator())
            guard let methods = try await reader.greeting() else { return }
            guard methods.contains(SOCKS5Reader.noAuthentication) else {
                try await outbound.write(ByteBuffer(bytes: [5, 0xFF]))
                return
            }
            try await outbound.write(ByteBuffer(bytes: [5, 0]))
            let request: SOCKS5Reader.Request
            do {
                guard let parsed = try await reader.request() else { return }
                request = parsed
            } catch let refusal as SOCKS5Reader.Unsupported {
                try await outbound.write(SOCKS5Reader.reply(refusal.reply))
                return
            }
            let target = "\(request.host.contains(":") ? "[\(request.host)]" : request.host):\(request.port)"
            if let reason = state.failure(for: target) {
                log.record(.init(target: target, blocked: false, reason: reason))
                try await outbound.write(SOCKS5Reader.reply(SOCKS5Reader.hostUnreachable))
                return
            }
            let addresses: [IPAddress]
            switch await policy.decide(host: request.host, port: request.port) {
            case .connect(let checked):
                addresses = checked
            case .refuse(let reason):
                log.record(.init(target: target, blocked: true, reason: reason))
                try await outbound.write(SOCKS5Reader.reply(SOCKS5Reader.notAllowed))
                return
            case .unreachable(let reason):
                state.remember(reason, for: target)
                log.record(.init(target: target, blocked: false, reason: reason))
                try await outbound.write(SOCKS5Reader.reply(SOCKS5Reader.hostUnreachable))
                return
            }
            guard let upstream = await connect(addresses, port: request.port) else {
                let reason = "\(target) did not accept a connection"
                state.remember(reason, for: target)
                log.record(.init(target: target, blocked: false, reason: reason))
                try await outbound.write(SOCKS5Reader.reply(SOCKS5Reader.connectionRefused))
                return
            }
            try await outbound.write(SOCKS5Reader.reply(SOCKS5Reader.succeeded))
            try await upstream.executeThenClose { upstreamInbound, upstreamOutbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while let chunk = try await reader.next() { try await upstreamOutbound.write(chunk) }
                        upstreamOutbound.finish()
                    }
                    group.addTask {
                        for try await chunk in upstreamInbound { try await outbound.write(chunk) }
                        outbound.finish()
                    }
                    do {
                        try await group.waitForAll()
                    } catch {
                        group.cancelAll()
                        throw error
                    }
                }
            }
        }
    }

    /// A connection to the first of `addresses` that accepts one.
    private func connect(_ addresses: [IPAddress], port: Int) async -> NIOAsyncChannel<ByteBuffer, ByteBuffer>? {
        let timeout = connectTimeout.components
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000))
        for address in addresses {
            guard let socketAddress = try? SocketAddress(ipAddress: address.description, port: port) else { continue }
            if let channel = try? await bootstrap.connect(to: socketAddress, channelInitializer: { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }) {
                return channel
            }
        }
        return nil
    }
}
