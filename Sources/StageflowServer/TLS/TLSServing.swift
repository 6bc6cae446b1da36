import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCertificateReloading
import NIOSSL

/// HTTPS as the API server serves it: the TLS configuration made from `ServerTLS` files (checked here, so a bad
/// file stops start-up naming it) and the reloader that reads them again while the server runs.
public struct TLSServing: Sendable {
    /// Client certificates are asked for and verified against the client CAs.
    let readsClientCertificates: Bool
    let configuration: TLSConfiguration
    let reloader: TimedCertificateReloader

    /// Reads and checks the files of `settings`.
    public init(_ settings: ServerTLS, logger: Logger) throws {
        var files = [(settings.certificateFile, "--tls-cert-file"), (settings.privateKeyFile, "--tls-private-key-file")]
        if let clientCAFile = settings.clientCAFile { files.append((clientCAFile, "--client-ca-file")) }
        for (file, flag) in files where !FileManager.default.isReadableFile(atPath: file) {
            throw ServerTLSError("\(flag) \(file): cannot be read")
        }
        do {
            reloader = try TimedCertificateReloader.makeReloaderValidatingSources(
                refreshInterval: settings.reloadInterval,
                certificateSource: .init(location: .file(path: settings.certificateFile), format: .pem),
                privateKeySource: .init(location: .file(path: settings.privateKeyFile), format: .pem), logger: logger)
        } catch {
            throw ServerTLSError(
                "--tls-cert-file \(settings.certificateFile) with --tls-private-key-file \(settings.privateKeyFile): \(error)")
        }
        var configuration = try TLSConfiguration.makeServerConfiguration(certificateReloader: reloader)
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        if let clientCAFile = settings.clientCAFile {
            let authorities: [NIOSSLCertificate]
            do {
                authorities = try NIOSSLCertificate.fromPEMFile(clientCAFile)
            } catch {
                throw ServerTLSError("--client-ca-file \(clientCAFile): not PEM certificates: \(error)")
            }
            guard !authorities.isEmpty else { throw ServerTLSError("--client-ca-file \(clientCAFile): holds no certificate") }
            // Only these authorities, not the system's, vouch for clients; a client without a certificate still
            // connects and authenticates with a token.
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification = .optionalVerification
        }
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ServerTLSError("--tls-cert-file \(settings.certificateFile): cannot serve it: \(error)")
        }
        self.configuration = configuration
        readsClientCertificates = settings.clientCAFile != nil
    }

    /// `base` wrapped in TLS.
    func server(over base: HTTPServerBuilder) throws -> HTTPServerBuilder {
        try .tls(base, tlsConfiguration: configuration)
    }
}
