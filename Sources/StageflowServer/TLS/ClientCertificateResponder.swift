import Hummingbird
import NIOCore
import NIOSSL
import X509

/// The request context of the API server's connections: it keeps the channel, so that the verified client
/// certificate of a TLS connection can be read.
struct ConnectionRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Passes each request to the API responder, with the connection's verified client certificate (when the server
/// asks for client certificates and the client presented one) set for the access rules in `ClientCertificate`.
struct ClientCertificateResponder: HTTPResponder {
    typealias Context = ConnectionRequestContext

    let base: APIResponder
    /// Whether the TLS handshake asks for client certificates (`--client-ca-file`).
    let readsClientCertificates: Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        let baseContext = BasicRequestContext(source: .init(channel: context.channel, logger: context.logger))
        guard readsClientCertificates, let certificate = await Self.verifiedCertificate(on: context.channel) else {
            return try await base.respond(to: request, context: baseContext)
        }
        return try await ClientCertificate.$verified.withValue(certificate) {
            try await base.respond(to: request, context: baseContext)
        }
    }

    /// The subject of the certificate the peer presented; the handshake already verified it against the client
    /// CAs, or the connection would not exist.
    static func verifiedCertificate(on channel: any Channel) async -> VerifiedClientCertificate? {
        guard let presented = try? await channel.nioSSL_peerCertificate().get(),
            let certificate = try? Certificate(derEncoded: presented.toDERBytes())
        else { return nil }
        for relative in certificate.subject {
            for attribute in relative where attribute.type == .RDNAttributeType.commonName {
                if let name = String(attribute.value), !name.isEmpty { return VerifiedClientCertificate(commonName: name) }
            }
        }
        return nil
    }
}
