import NIOCore

/// Reads the client's side of a SOCKS5 handshake (RFC 1928) from a connection's inbound bytes — the greeting
/// and one CONNECT request — and then hands on whatever follows. Used by one task at a time: the handshake,
/// then the copy of the client's bytes upstream.
final class SOCKS5Reader: @unchecked Sendable {
    /// A CONNECT request.
    struct Request: Sendable {
        /// The host: a name, or an IPv4/IPv6 address in text form.
        var host: String
        var port: Int
    }

    /// A request the proxy does not serve, with the reply code to send.
    struct Unsupported: Error {
        let reply: UInt8
    }

    static let noAuthentication: UInt8 = 0
    static let succeeded: UInt8 = 0
    static let notAllowed: UInt8 = 2
    static let hostUnreachable: UInt8 = 4
    static let connectionRefused: UInt8 = 5
    static let commandNotSupported: UInt8 = 7
    static let addressTypeNotSupported: UInt8 = 8

    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffer = ByteBuffer()

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    /// The authentication methods the client offers; `nil` when it closed or spoke another protocol.
    func greeting() async throws -> [UInt8]? {
        guard let header = try await bytes(2), header[0] == 5 else { return nil }
        return try await bytes(Int(header[1]))
    }

    /// The CONNECT request; `nil` when the client closed or spoke another protocol; `Unsupported` for other
    /// commands and address types.
    func request() async throws -> Request? {
        guard let header = try await bytes(4), header[0] == 5 else { return nil }
        guard header[1] == 1 else { throw Unsupported(reply: Self.commandNotSupported) }
        let host: String
        switch header[3] {
        case 1:
            guard let address = try await bytes(4) else { return nil }
            host = address.map(String.init).joined(separator: ".")
        case 3:
            guard let length = try await bytes(1), let name = try await bytes(Int(length[0])) else { return nil }
            host = String(decoding: name, as: UTF8.self)
        case 4:
            guard let address = try await bytes(16) else { return nil }
            host = stride(from: 0, to: 16, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        default:
            throw Unsupported(reply: Self.addressTypeNotSupported)
        }
        guard let port = try await bytes(2) else { return nil }
        return Request(host: host, port: Int(port[0]) << 8 | Int(port[1]))
    }

    /// The reply to a request: `code`, and an unspecified bound address.
    static func reply(_ code: UInt8) -> ByteBuffer {
        ByteBuffer(bytes: [5, code, 0, 1, 0, 0, 0, 0, 0, 0])
    }

    /// Bytes the client sent after its request and before the reply, if any.
    func leftover() -> ByteBuffer? {
        guard buffer.readableBytes > 0 else { return nil }
        defer { buffer.clear() }
        return buffer
    }

    /// The client's next chunk; `nil` at its end.
    func next() async throws -> ByteBuffer? {
        if let early = leftover() { return early }
        return try await iterator.next()
    }

    private func bytes(_ count: Int) async throws -> [UInt8]? {
        while buffer.readableBytes < count {
            guard var chunk = try await iterator.next() else { return nil }
            buffer.writeBuffer(&chunk)
        }
        return buffer.readBytes(length: count)
    }
}
